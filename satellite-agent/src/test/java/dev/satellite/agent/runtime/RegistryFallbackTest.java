package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.config.SatelliteConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code app_config.registry_fallback}, read by {@link SatelliteConfig}, applied to runtimes. */
class RegistryFallbackTest {
  @TempDir Path temp;
  private SatelliteConfig config = SatelliteConfig.defaults();

  /** Reads {@code json} as the satellite does (keeping invalid fields' previous values). */
  private SatelliteConfig.Reading read(String json) {
    SatelliteConfig.Reading reading =
        SatelliteConfig.read(json.getBytes(StandardCharsets.UTF_8), config);
    config = reading.config();
    return reading;
  }

  private void apply(String json) {
    read(json);
    new RegistryFallback(RuntimeRoot.EDGE, temp).accept(config);
  }

  private static String section(String fields) {
    return "{\"app_config\": {\"registry_fallback\": {" + fields + "}}}";
  }

  @Test
  void enabledSectionWritesTheNamedRuntimesFiles() {
    apply("""
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
  void withoutAnEdgeGivenTheRuntimesPullFromTheEdgeTheConfigNames() {
    read("""
        {"app_config": {"local_registry": {"url": "edge.example:8585"}, "use_unsecure": true,
          "registry_fallback": {"enabled": true, "runtimes": ["docker"]}}}
        """);

    RegistryFallback.toConfiguredEdge(temp).accept(config);

    assertThat(new RuntimeRoot(temp).read("etc/docker/daemon.json"))
        .contains("http://edge.example:8585");
  }

  @Test
  void k3sAndRke2PullFromTheConfiguredEdgeWithItsTlsFilesAndCredentials() throws Exception {
    read("""
        {"app_config": {"local_registry": {"url": "https://edge.example:8443",
                                           "username": "robot", "password": "edge-secret"},
          "tls": {"ca_file": "/etc/satellite/ca.pem"},
          "registry_fallback": {"enabled": true, "registries": ["docker.io"],
                                "runtimes": ["k3s", "rke2"]}}}
        """);

    RegistryFallback.toConfiguredEdge(temp).accept(config);

    RuntimeRoot node = new RuntimeRoot(temp);
    for (String file : List.of("etc/rancher/k3s/registries.yaml",
        "etc/rancher/rke2/registries.yaml")) {
      K3sRegistriesYaml written = K3sRegistriesYaml.parse(node.read(file));
      assertThat(written.mirrors().get("docker.io").endpoint())
          .containsExactly("https://edge.example:8443");
      assertThat(written.configs().get("edge.example:8443")).isEqualTo(
          new K3sRegistriesYaml.RegistryConfig(
              new K3sRegistriesYaml.Auth("robot", "edge-secret", null, null),
              new K3sRegistriesYaml.Tls(null, null, "/etc/satellite/ca.pem", false)));
    }
  }

  @Test
  void withoutAnEdgeGivenOrNamedAnEnabledSectionIsRefusedAndChangesNothing() {
    RuntimeRoot node = new RuntimeRoot(temp).withText("etc/docker/daemon.json", "{}\n");
    Map<String, String> before = node.snapshot();
    read(section("\"enabled\": true, \"runtimes\": [\"docker\"]"));

    assertThatThrownBy(() -> RegistryFallback.toConfiguredEdge(temp).accept(config))
        .isInstanceOf(RuntimeMirrorException.class)
        .hasMessage("registry_fallback is enabled but the config names no local_registry.url:"
            + " there is no edge registry for the runtimes to pull from");
    assertThat(node.snapshot()).isEqualTo(before);
  }

  @Test
  void runtimesLeftOutMeanTheRuntimesFound() throws Exception {
    Files.createDirectories(temp.resolve("etc/crio"));

    apply(section("\"enabled\": true, \"registries\": [\"docker.io\"]"));

    assertThat(temp.resolve("etc/containers/registries.conf.d/99-satellite-mirrors.conf")).exists();
    assertThat(temp.resolve("etc/containerd")).doesNotExist();
  }

  @Test
  void registriesLeftOutMeanDockerHubAsInHarborSatellite() {
    apply(section("\"enabled\": true, \"runtimes\": [\"containerd\"]"));

    assertThat(new RuntimeRoot(temp).snapshot()).containsOnlyKeys(
        "etc/containerd/certs.d/docker.io/hosts.toml", "etc/containerd/config.toml");
  }

  @Test
  void disabledOrMissingSectionOrNonJsonConfigChangesNothing() {
    RuntimeRoot node = new RuntimeRoot(temp).withText("etc/docker/daemon.json", "{}\n");
    Map<String, String> before = node.snapshot();

    apply(section("\"enabled\": false, \"registries\": [\"docker.io\"], \"runtimes\": [\"docker\"]"));
    apply("{\"app_config\": {}}");
    apply("max_parallel=4");

    assertThat(node.snapshot()).isEqualTo(before);
  }

  @Test
  void aSectionAtTheTopLevelIsNotReadAndTheReadingSaysWhereItBelongs() {
    RuntimeRoot node = new RuntimeRoot(temp).withText("etc/docker/daemon.json", "{}\n");
    Map<String, String> before = node.snapshot();
    String topLevel = "{\"registry_fallback\": {\"enabled\": true, \"registries\": [\"docker.io\"],"
        + " \"runtimes\": [\"docker\"]}}";

    assertThat(read(topLevel).problems()).containsExactly("registry_fallback at the top level is"
        + " not read: the config state has it under app_config");
    new RegistryFallback(RuntimeRoot.EDGE, temp).accept(config);

    assertThat(node.snapshot()).isEqualTo(before);
  }

  @Test
  void fileThatCannotBeChangedFailsThePassSoItIsAppliedAgain() {
    new RuntimeRoot(temp).withText("etc/docker/daemon.json", "{broken");

    assertThatThrownBy(() -> apply(section(
        "\"enabled\": true, \"registries\": [\"docker.io\"], \"runtimes\": [\"docker\"]")))
        .isInstanceOf(RuntimeMirrorException.class)
        .hasMessageStartingWith("registry_fallback: " + temp.resolve("etc/docker/daemon.json")
            + ": not valid JSON");
  }

  @Test
  void aMalformedFieldIsReportedAndThePreviousSettingsStayApplied() {
    apply(section("\"enabled\": true, \"registries\": [\"docker.io\"], \"runtimes\": [\"docker\"]"));
    RuntimeRoot node = new RuntimeRoot(temp);
    Map<String, String> applied = node.snapshot();

    SatelliteConfig.Reading reading = read(section(
        "\"enabled\": true, \"registries\": \"quay.io\", \"runtimes\": [\"containerd\"]"));
    assertThat(reading.problems()).containsExactly("app_config.registry_fallback.registries ="
        + " \"quay.io\": must be an array of strings; the previous value stays");
    new RegistryFallback(RuntimeRoot.EDGE, temp).accept(config);

    assertThat(config.registryFallback().registries()).containsExactly("docker.io");
    assertThat(temp.resolve("etc/containerd/certs.d/quay.io")).doesNotExist();
    assertThat(temp.resolve("etc/containerd/certs.d/docker.io/hosts.toml")).exists();
    assertThat(node.read("etc/docker/daemon.json")).isEqualTo(applied.get("etc/docker/daemon.json"));
  }

  @Test
  void anUnknownRuntimeIsAnErrorNamingItAndWritesNothing() {
    assertThatThrownBy(() -> apply(section(
        "\"enabled\": true, \"registries\": [\"docker.io\"], \"runtimes\": [\"containerd\", \"rkt\"]")))
        .isInstanceOf(RuntimeMirrorException.class)
        .hasMessage("registry_fallback: unknown container runtime \"rkt\""
            + " (known: containerd, crio, podman, docker, k3s, rke2)");
    assertThat(temp.resolve("etc/containerd")).doesNotExist();
  }
}
