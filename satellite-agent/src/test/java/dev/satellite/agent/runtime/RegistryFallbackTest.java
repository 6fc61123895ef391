package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryFallbackTest {
  @TempDir Path temp;

  private void configChanged(String json) {
    new RegistryFallback(RuntimeRoot.EDGE, temp)
        .configChanged("sha256:c0ffee", json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void enabledSectionWritesTheNamedRuntimesFiles() {
    configChanged("""
        {"app_config": {"log_level": "info",
          "registry_fallback": {"enabled": true, "registries": ["docker.io", "quay.io"],
                                "runtimes": ["containerd", "docker"]}}}
        """);

    assertThat(temp.resolve("etc/containerd/certs.d/docker.io/hosts.toml")).exists();
    assertThat(temp.resolve("etc/containerd/certs.d/quay.io/hosts.toml")).exists();
    assertThat(new RuntimeRoot(temp).read("etc/docker/daemon.json"))
        .contains("\"registry-mirrors\"", "http://127.0.0.1:5000").doesNotContain("quay.io");
  }

  @Test
  void runtimesLeftOutMeanTheRuntimesFound() throws Exception {
    Files.createDirectories(temp.resolve("etc/crio"));

    configChanged("{\"registry_fallback\": {\"enabled\": true, \"registries\": [\"docker.io\"]}}");

    assertThat(temp.resolve("etc/containers/registries.conf.d/99-satellite-mirrors.conf")).exists();
    assertThat(temp.resolve("etc/containerd")).doesNotExist();
  }

  @Test
  void disabledOrMissingSectionOrNonJsonConfigChangesNothing() {
    RuntimeRoot node = new RuntimeRoot(temp).withText("etc/docker/daemon.json", "{}\n");
    Map<String, String> before = node.snapshot();

    configChanged("{\"registry_fallback\": {\"enabled\": false, \"registries\": [\"docker.io\"],"
        + " \"runtimes\": [\"docker\"]}}");
    configChanged("{\"app_config\": {}}");
    configChanged("max_parallel=4");

    assertThat(node.snapshot()).isEqualTo(before);
  }

  @Test
  void fileThatCannotBeChangedFailsThePassSoItIsAppliedAgain() {
    new RuntimeRoot(temp).withText("etc/docker/daemon.json", "{broken");

    assertThatThrownBy(() -> configChanged("{\"registry_fallback\": {\"enabled\": true,"
        + " \"registries\": [\"docker.io\"], \"runtimes\": [\"docker\"]}}"))
        .isInstanceOf(RuntimeMirrorException.class)
        .hasMessageStartingWith("config state sha256:c0ffee: registry_fallback: "
            + temp.resolve("etc/docker/daemon.json") + ": not valid JSON");
  }

  @Test
  void malformedSectionIsAnErrorNamingTheField() {
    assertThatThrownBy(() -> configChanged(
        "{\"registry_fallback\": {\"enabled\": true, \"registries\": \"docker.io\"}}"))
        .hasMessage("config state sha256:c0ffee: registry_fallback.registries is not an array"
            + " of strings");
    assertThatThrownBy(() -> configChanged("{\"registry_fallback\": {\"enabled\": true,"
        + " \"registries\": [\"docker.io\"], \"runtimes\": [\"rkt\"]}}"))
        .hasMessage("config state sha256:c0ffee: registry_fallback: unknown container runtime"
            + " \"rkt\" (known: containerd, crio, podman, docker)");
  }
}
