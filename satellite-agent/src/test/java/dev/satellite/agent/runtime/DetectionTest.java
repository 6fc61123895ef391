package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionTest {
  @TempDir Path temp;

  @Test
  void findsRuntimesByConfigurationDirectoryOrSocket() throws Exception {
    Files.createDirectories(temp.resolve("etc/containerd"));
    Files.createDirectories(temp.resolve("run"));
    Files.createFile(temp.resolve("run/docker.sock"));

    assertThat(RuntimeMirrors.detect(temp))
        .containsExactly(ContainerRuntime.CONTAINERD, ContainerRuntime.DOCKER);
  }

  @Test
  void autoWritesTheFilesOfTheRuntimesFoundOnly() throws Exception {
    RuntimeRoot node = new RuntimeRoot(temp)
        .with("etc/containers/registries.conf", "registries.conf");
    Files.createDirectories(temp.resolve("etc/crio"));

    MirrorReport report = node.apply("auto");

    assertThat(report.changes()).singleElement().satisfies(change -> {
      assertThat(change.path())
          .isEqualTo(temp.resolve("etc/containers/registries.conf.d/99-satellite-mirrors.conf"));
      assertThat(change.runtimes())
          .containsExactly(ContainerRuntime.CRIO, ContainerRuntime.PODMAN);
    });
    assertThat(report.reloadCommands()).containsExactly("systemctl reload crio");
    assertThat(temp.resolve("etc/containerd")).doesNotExist();
  }

  @Test
  void autoWithNoRuntimeIsAFailureNamingWhatWasLookedFor() {
    MirrorReport report = new RuntimeRoot(temp).apply("auto:docker.io");

    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.path()).isEqualTo(temp);
      assertThat(failure.reason()).startsWith(temp + ": no container runtime found (looked for ")
          .contains("etc/containerd", "run/docker.sock");
    });
  }

  @Test
  void malformedMirrorsValuesAreRefusedWithTheReason() {
    RuntimeRoot node = new RuntimeRoot(temp);
    assertThatThrownBy(() -> node.mirrors("containerd"))
        .hasMessage("--mirrors \"containerd\" names no registry (expected"
            + " <runtime>:<registry>[,<registry>...] or auto)");
    assertThatThrownBy(() -> node.mirrors("rkt:docker.io"))
        .hasMessage("unknown container runtime \"rkt\" (known: containerd, crio, podman, docker,"
            + " k3s, rke2)");
    assertThatThrownBy(() -> node.mirrors("containerd:docker.io,"))
        .hasMessage("empty registry name in [docker.io, ]");
    assertThatThrownBy(() -> node.mirrors("podman:https://quay.io"))
        .hasMessageStartingWith("registry \"https://quay.io\" is not a registry host");
    assertThatThrownBy(() -> node.mirrors("podman:_default"))
        .hasMessage("_default is containerd's alone, podman cannot mirror it");
    assertThatThrownBy(() -> RuntimeMirrors.builder().edge("http://127.0.0.1:5000/v2/x"))
        .hasMessageContaining("must not have a path");
  }
}
