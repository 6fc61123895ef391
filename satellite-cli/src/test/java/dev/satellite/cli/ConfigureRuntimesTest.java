package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line over RuntimeMirrors: its output, dry-run diffs and exit statuses. */
class ConfigureRuntimesTest {
  private static final String CONFIG = "etc/containerd/config.toml";
  private static final String DAEMON_JSON = "etc/docker/daemon.json";

  @TempDir Path root;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return ConfigureRuntimesCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String[] valid(String... more) {
    List<String> args = new ArrayList<>(List.of("--destination", "http://127.0.0.1:5000",
        "--runtime-root", root.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private void write(String path, String text) throws IOException {
    Files.createDirectories(root.resolve(path).getParent());
    Files.writeString(root.resolve(path), text);
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void writesTheFilesAndPrintsTheReloadCommandsWithoutRunningThem() throws IOException {
    write(CONFIG, "version = 2\n");
    write(DAEMON_JSON, "{\"log-driver\": \"journald\"}\n");

    int status = run(valid("--mirrors", "containerd:docker.io,quay.io", "--mirrors",
        "docker:docker.io"));

    assertThat(status).isEqualTo(0);
    assertThat(err()).isEmpty();
    assertThat(out()).isEqualTo(
        "changed " + root.resolve(CONFIG) + " (previous version: config.toml.satellite.bak)\n"
        + "created " + root.resolve("etc/containerd/certs.d/docker.io/hosts.toml") + "\n"
        + "created " + root.resolve("etc/containerd/certs.d/quay.io/hosts.toml") + "\n"
        + "changed " + root.resolve(DAEMON_JSON)
        + " (previous version: daemon.json.satellite.bak)\n"
        + "to apply, run: systemctl restart containerd\n"
        + "to apply, run: systemctl reload docker\n");
  }

  @Test
  void secondRunChangesNothingAndHasNothingToReload() throws IOException {
    write(CONFIG, "version = 2\n");
    run(valid("--mirrors", "containerd:docker.io"));

    assertThat(run(valid("--mirrors", "containerd:docker.io"))).isEqualTo(0);

    assertThat(out()).doesNotContain("to apply").contains("unchanged " + root.resolve(CONFIG));
  }

  @Test
  void dryRunPrintsUnifiedDiffsAndWritesNothing() throws IOException {
    write(DAEMON_JSON, "{\n  \"log-driver\": \"journald\"\n}\n");
    List<Path> before = files();

    int status = run(valid("--mirrors", "docker:docker.io", "--dry-run"));

    assertThat(status).isEqualTo(0);
    assertThat(files()).isEqualTo(before);
    assertThat(out()).isEqualTo("--- " + root.resolve(DAEMON_JSON) + "\n"
        + "+++ " + root.resolve(DAEMON_JSON) + "\n"
        + "@@ -1,3 +1,9 @@\n"
        + " {\n"
        + "-  \"log-driver\": \"journald\"\n"
        + "+  \"log-driver\": \"journald\",\n"
        + "+  \"registry-mirrors\": [\n"
        + "+    \"http://127.0.0.1:5000\"\n"
        + "+  ],\n"
        + "+  \"insecure-registries\": [\n"
        + "+    \"127.0.0.1:5000\"\n"
        + "+  ]\n"
        + " }\n"
        + "dry run: 1 file(s) would change, nothing written\n");
  }

  @Test
  void fileThatCannotBeChangedExitsOneNamingIt() throws IOException {
    write(DAEMON_JSON, "{\"registry-mirrors\": [\n");

    assertThat(run(valid("--mirrors", "docker:docker.io"))).isEqualTo(1);

    assertThat(err()).startsWith("failed: " + root.resolve(DAEMON_JSON) + ": not valid JSON")
        .endsWith("; left untouched\n");
    assertThat(Files.readString(root.resolve(DAEMON_JSON))).isEqualTo("{\"registry-mirrors\": [\n");
  }

  @Test
  void autoWithoutAnyRuntimeExitsOne() {
    assertThat(run(valid("--mirrors", "auto"))).isEqualTo(1);
    assertThat(err()).startsWith("failed: " + root + ": no container runtime found");
  }

  @Test
  void usageMistakesExitTwoWithOneLine() {
    assertThat(run("--mirrors", "containerd:docker.io")).isEqualTo(2);
    assertThat(err()).isEqualTo("satellite configure-runtimes: Missing required option:"
        + " '--destination=<edge url>' (see --help)\n");

    assertThat(run(valid("--mirrors", "docker:quay.io"))).isEqualTo(2);
    assertThat(err()).isEqualTo("satellite configure-runtimes: docker cannot mirror quay.io: Docker"
        + " Engine's registry-mirrors applies to Docker Hub (docker.io) only\n");

    assertThat(run(valid("--mirrors", "crio"))).isEqualTo(2);
    assertThat(err()).isEqualTo("satellite configure-runtimes: --mirrors \"crio\" names no registry"
        + " (expected <runtime>:<registry>[,<registry>...] or auto)\n");

    assertThat(run("--destination", "ftp://edge", "--mirrors", "podman:docker.io")).isEqualTo(2);
    assertThat(err()).isEqualTo("satellite configure-runtimes: edge registry URL \"ftp://edge\" must start"
        + " with http:// or https://\n");
    assertThat(root.toFile().list()).isEmpty();
  }
}
