package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunTest {
  @TempDir Path temp;

  @Test
  void dryRunWritesNothingAndShowsEachChangeAsAUnifiedDiff() {
    RuntimeRoot node = new RuntimeRoot(temp)
        .with("etc/containerd/config.toml", "containerd-1.7-config.toml")
        .with("etc/docker/daemon.json", "daemon.json");
    Map<String, String> before = node.snapshot();

    MirrorReport report = node.mirrors("containerd:docker.io", "docker:docker.io")
        .dryRun(true).build().apply();

    assertThat(node.snapshot()).isEqualTo(before);
    assertThat(report.dryRun()).isTrue();
    assertThat(report.reloadCommands()).isEmpty();
    assertThat(report.changes()).extracting(FileChange::path).containsExactly(
        node.path("etc/containerd/config.toml"),
        node.path("etc/containerd/certs.d/docker.io/hosts.toml"),
        node.path("etc/docker/daemon.json"));
    Path config = node.path("etc/containerd/config.toml");
    assertThat(report.changes().get(0).unifiedDiff()).isEqualTo("--- " + config + "\n"
        + "+++ " + config + "\n"
        + "@@ -49,6 +49,7 @@\n"
        + "             BinaryName = \"\"\n"
        + " \n"
        + "     [plugins.\"io.containerd.grpc.v1.cri\".registry]\n"
        + "+      config_path = \"/etc/containerd/certs.d\"\n"
        + " \n"
        + "       [plugins.\"io.containerd.grpc.v1.cri\".registry.configs]\n"
        + " \n");
    Path hosts = node.path("etc/containerd/certs.d/docker.io/hosts.toml");
    assertThat(report.changes().get(1).unifiedDiff()).isEqualTo("--- /dev/null\n"
        + "+++ " + hosts + "\n"
        + "@@ -0,0 +1,4 @@\n"
        + "+server = \"https://registry-1.docker.io\"\n"
        + "+\n"
        + "+[host.\"http://127.0.0.1:5000\"]\n"
        + "+capabilities = [\"pull\", \"resolve\"]\n");
  }

  @Test
  void dryRunAfterARealRunHasNothingToShow() {
    RuntimeRoot node = new RuntimeRoot(temp).with("etc/docker/daemon.json", "daemon.json");
    node.apply("docker:docker.io");

    MirrorReport report = node.mirrors("docker:docker.io").dryRun(true).build().apply();

    assertThat(report.changes()).isEmpty();
    assertThat(report.unchanged()).containsExactly(node.path("etc/docker/daemon.json"));
  }
}
