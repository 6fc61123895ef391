package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.cli.support.ParsedSync;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AgentCommand --mirrors: checked with the rest of the command line, applied once at start. */
class AgentCommandMirrorsTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private ParsedSync parse(String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--state", "http://127.0.0.1:1/satellite/satellite-state/e/state:latest",
        "--destination", "http://127.0.0.1:5000",
        "--checkpoint", dir.resolve("checkpoint.json").toString(),
        "--runtime-root", dir.resolve("root").toString()));
    args.addAll(List.of(more));
    return AgentCommand.parse(args.toArray(String[]::new), Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void badMirrorsValueExitsTwoWithOneLine() {
    ParsedSync result = parse("--mirrors", "docker:quay.io");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("satellite agent: option --mirrors:"
        + " docker cannot mirror quay.io: Docker Engine's registry-mirrors applies to Docker Hub"
        + " (docker.io) only\n");
  }

  @Test
  void mirrorsAreWrittenWhenTheAgentStarts() {
    ParsedSync result = parse("--mirrors", "containerd:docker.io", "--mirrors", "podman:quay.io");
    assertThat(result.options()).isPresent();
    assertThat(result.options().get().runtimeMirrors().followConfigState()).isTrue();
    CountDownLatch stopAtOnce = new CountDownLatch(0);

    int status = AgentCommand.run(result.options().get(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), stopAtOnce);

    assertThat(status).isEqualTo(0);
    assertThat(Files.exists(dir.resolve("root/etc/containerd/certs.d/docker.io/hosts.toml")))
        .isTrue();
    assertThat(Files.exists(dir.resolve(
        "root/etc/containers/registries.conf.d/99-satellite-mirrors.conf"))).isTrue();
  }
}
