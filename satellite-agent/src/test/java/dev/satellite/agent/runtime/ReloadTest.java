package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in reloads, with a reload command that is a script in a temp directory: it appends each
 * call's arguments and the runtime's file as the call found it to a log, then exits with the status
 * the test scripted for that call.
 */
class ReloadTest {
  private static final String K3S = "etc/rancher/k3s/registries.yaml";
  private static final String DAEMON_JSON = "etc/docker/daemon.json";

  @TempDir Path temp;

  private Path root() {
    return temp.resolve("root");
  }

  /** A script that exits with {@code statuses[i]} on its i-th call (the last one thereafter). */
  private List<String> reloadScript(String watchedFile, int... statuses) throws IOException {
    StringBuilder script = new StringBuilder("#!/bin/sh\n")
        .append("n=$(cat \"").append(temp).append("/calls\" 2>/dev/null || echo 0)\n")
        .append("n=$((n + 1)); echo $n > \"").append(temp).append("/calls\"\n")
        .append("{ echo \"call $n: $*\"; cat \"").append(root().resolve(watchedFile))
        .append("\" 2>/dev/null || echo '(no file)'; } >> \"").append(temp).append("/log\"\n");
    for (int i = 0; i < statuses.length; i++) {
      String test = i == statuses.length - 1 ? "true" : "[ $n -eq " + (i + 1) + " ]";
      script.append("if ").append(test).append("; then\n");
      if (statuses[i] != 0) {
        script.append("  echo \"Job for k3s.service failed because the control process exited"
            + " with error code.\" >&2\n");
      }
      script.append("  exit ").append(statuses[i]).append("\nfi\n");
    }
    Path file = temp.resolve("reload.sh");
    Files.writeString(file, script.toString());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return List.of(file.toString(), "k3s");
  }

  private String log() throws IOException {
    return Files.readString(temp.resolve("log"));
  }

  @Test
  void reloadsAreOffByDefault() throws IOException {
    RuntimeRoot node = new RuntimeRoot(root());

    MirrorReport report = node.mirrors("k3s:docker.io")
        .reloadCommand(ContainerRuntime.K3S, reloadScript(K3S, 0)).build().apply();

    assertThat(report.reloads()).isEmpty();
    assertThat(report.reloadCommands()).containsExactly(temp.resolve("reload.sh") + " k3s");
    assertThat(temp.resolve("log")).doesNotExist();
  }

  @Test
  void aSuccessfulReloadSeesTheNewFileAndKeepsIt() throws IOException {
    RuntimeRoot node = new RuntimeRoot(root());

    MirrorReport report = node.mirrors("k3s:docker.io").reloadRuntimes(true)
        .reloadCommand(ContainerRuntime.K3S, reloadScript(K3S, 0)).build().apply();

    assertThat(report.ok()).isTrue();
    assertThat(report.reloads()).singleElement().satisfies(reload -> {
      assertThat(reload.runtime()).isEqualTo(ContainerRuntime.K3S);
      assertThat(reload.succeeded()).isTrue();
      assertThat(reload.rolledBack()).isFalse();
    });
    assertThat(log()).startsWith("call 1: k3s\nmirrors:\n").contains("http://127.0.0.1:5000")
        .doesNotContain("call 2");
    assertThat(node.read(K3S)).contains("http://127.0.0.1:5000");
  }

  @Test
  void aFailedReloadPutsThePreviousFileBackAndReloadsAgain() throws IOException {
    String previous = "mirrors:\n  quay.io:\n    endpoint:\n      - https://quay-mirror.example\n";
    RuntimeRoot node = new RuntimeRoot(root()).withText(K3S, previous);

    MirrorReport report = node.mirrors("k3s:docker.io").reloadRuntimes(true)
        .reloadCommand(ContainerRuntime.K3S, reloadScript(K3S, 1, 0)).build().apply();

    assertThat(node.read(K3S)).isEqualTo(previous);
    String[] calls = log().split("(?=call 2: )");
    assertThat(calls[0]).startsWith("call 1: k3s\n").contains("docker.io", "http://127.0.0.1:5000");
    assertThat(calls[1]).isEqualTo("call 2: k3s\n" + previous);
    assertThat(report.ok()).isFalse();
    assertThat(report.changes()).isEmpty();
    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.path()).isEqualTo(node.path(K3S));
      assertThat(failure.reason()).isEqualTo(node.path(K3S) + ": `" + temp.resolve("reload.sh")
          + " k3s` failed (exit status 1: Job for k3s.service failed because the control process"
          + " exited with error code.); its previous version was put back");
    });
    assertThat(report.reloads()).singleElement().satisfies(reload -> {
      assertThat(reload.rolledBack()).isTrue();
      assertThat(reload.failure()).get().asString()
          .contains("failed (exit status 1: Job for k3s.service failed")
          .contains("; restored " + node.path(K3S))
          .endsWith("; the reload after the restore succeeded");
    });
  }

  @Test
  void aNewFileIsRemovedWhenTheReloadFailsAndASecondFailureIsReported() throws IOException {
    RuntimeRoot node = new RuntimeRoot(root());

    MirrorReport report = node.mirrors("k3s:docker.io").reloadRuntimes(true)
        .reloadCommand(ContainerRuntime.K3S, reloadScript(K3S, 3)).build().apply();

    assertThat(node.path(K3S)).doesNotExist();
    assertThat(log()).endsWith("call 2: k3s\n(no file)\n");
    assertThat(report.reloads()).singleElement().extracting(r -> r.failure().orElseThrow())
        .asString().endsWith("; the reload after the restore failed too (exit status 3: Job for"
            + " k3s.service failed because the control process exited with error code.)");
  }

  @Test
  void onlyTheRuntimeWhoseReloadFailedIsRolledBack() throws IOException {
    RuntimeRoot node = new RuntimeRoot(root()).withText(DAEMON_JSON, "{}\n");

    MirrorReport report = node.mirrors("k3s:docker.io", "docker:docker.io").reloadRuntimes(true)
        .reloadCommand(ContainerRuntime.K3S, reloadScript(K3S, 1, 0))
        .reloadCommand(ContainerRuntime.DOCKER, List.of("true")).build().apply();

    assertThat(report.reloads()).extracting(RuntimeReload::runtime, RuntimeReload::succeeded)
        .containsExactly(tuple(ContainerRuntime.DOCKER, true),
            tuple(ContainerRuntime.K3S, false));
    assertThat(report.changes()).extracting(FileChange::path).containsExactly(node.path(DAEMON_JSON));
    assertThat(node.read(DAEMON_JSON)).contains("http://127.0.0.1:5000");
    assertThat(node.path(K3S)).doesNotExist();
  }

  @Test
  void aReloadThatDoesNotExitInTimeIsKilledAndCountsAsFailed() throws IOException {
    RuntimeRoot node = new RuntimeRoot(root()).withText(DAEMON_JSON, "{}\n");
    Path hanging = temp.resolve("hang.sh");
    Files.writeString(hanging, "#!/bin/sh\necho reloading\nexec sleep 30\n");
    Files.setPosixFilePermissions(hanging, PosixFilePermissions.fromString("rwx------"));
    long start = System.nanoTime();

    MirrorReport report = node.mirrors("docker:docker.io").reloadRuntimes(true)
        .reloadTimeout(Duration.ofMillis(300))
        .reloadCommand(ContainerRuntime.DOCKER, List.of(hanging.toString())).build().apply();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(report.reloads()).singleElement().extracting(r -> r.failure().orElseThrow())
        .asString().contains("failed (no exit within 300 ms: reloading)");
    assertThat(node.read(DAEMON_JSON)).isEqualTo("{}\n");
  }

  @Test
  void aReloadCommandThatCannotBeStartedIsAFailureNamingIt() {
    RuntimeRoot node = new RuntimeRoot(root()).withText(DAEMON_JSON, "{}\n");

    MirrorReport report = node.mirrors("docker:docker.io").reloadRuntimes(true)
        .reloadCommand(ContainerRuntime.DOCKER, List.of(temp.resolve("missing").toString()))
        .build().apply();

    assertThat(report.reloads()).singleElement().extracting(r -> r.failure().orElseThrow())
        .asString().startsWith("`" + temp.resolve("missing") + "` failed (exit status 127: cannot"
            + " run " + temp.resolve("missing"));
    assertThat(node.read(DAEMON_JSON)).isEqualTo("{}\n");
  }
}
