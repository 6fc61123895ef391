package dev.satellite.agent.groundcontrol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.FileChange;
import dev.satellite.agent.runtime.FileFailure;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.agent.runtime.RuntimeReload;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The first heartbeat's activity, in the Go satellite's cri_fallback_configured format. */
class MirrorActivityTest {
  private static FileChange change(String path, ContainerRuntime... runtimes) {
    return new FileChange(Path.of(path), List.of(runtimes), Optional.empty(), "new");
  }

  @Test
  void eachRuntimeChangedIsOkAndAFailedReloadOrFileIsAnError() {
    MirrorReport report = new MirrorReport(false,
        List.of(change("/etc/containerd/certs.d/docker.io/hosts.toml", ContainerRuntime.CONTAINERD),
            change("/etc/docker/daemon.json", ContainerRuntime.DOCKER)),
        List.of(), List.of(new FileFailure(Path.of("/etc/containers/registries.conf"),
            "permission denied")), List.of(), List.of(),
        List.of(new RuntimeReload(ContainerRuntime.DOCKER, List.of("systemctl", "reload", "docker"),
            Optional.of("exit 1:\n unit not found"), true)));

    assertThat(MirrorActivity.of(List.of(report))).contains("cri_fallback_configured: "
        + ContainerRuntime.CONTAINERD.id() + "(ok), " + ContainerRuntime.DOCKER.id()
        + "(err:exit 1: unit not found), /etc/containers/registries.conf(err:permission denied)");
  }

  @Test
  void reportsThatChangedNothingGiveNoActivity() {
    MirrorReport unchanged = new MirrorReport(false, List.of(),
        List.of(Path.of("/etc/docker/daemon.json")), List.of(), List.of(), List.of(), List.of());

    assertThat(MirrorActivity.of(List.of(unchanged))).isEmpty();
    assertThat(MirrorActivity.of(List.of())).isEmpty();
  }
}
