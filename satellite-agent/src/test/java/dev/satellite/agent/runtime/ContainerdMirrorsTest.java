package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdMirrorsTest {
  private static final String CONFIG = "etc/containerd/config.toml";
  private static final List<String> CRI_REGISTRY =
      List.of("plugins", "io.containerd.grpc.v1.cri", "registry");
  private static final List<String> IMAGES_REGISTRY =
      List.of("plugins", "io.containerd.cri.v1.images", "registry");

  @TempDir Path temp;

  @Test
  void containerd17ConfigGetsConfigPathUnderTheCriPluginAndKeepsEverythingElse() {
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-1.7-config.toml");

    MirrorReport report = node.apply("containerd:docker.io,quay.io");

    assertThat(report.failures()).isEmpty();
    Map<String, Object> after = node.toml(CONFIG);
    assertThat(at(after, CRI_REGISTRY)).containsEntry("config_path", "/etc/containerd/certs.d");
    Map<String, Object> expected = RuntimeRoot.tomlResource("containerd-1.7-config.toml");
    at(expected, CRI_REGISTRY).put("config_path", "/etc/containerd/certs.d");
    assertThat(after).isEqualTo(expected);
    assertThat(node.read(CONFIG)).isEqualTo(RuntimeRoot.resource("containerd-1.7-config.toml")
        .replace("    [plugins.\"io.containerd.grpc.v1.cri\".registry]\n",
            "    [plugins.\"io.containerd.grpc.v1.cri\".registry]\n"
                + "      config_path = \"/etc/containerd/certs.d\"\n"));
    assertThat(node.read(CONFIG + ".satellite.bak"))
        .isEqualTo(RuntimeRoot.resource("containerd-1.7-config.toml"));
    assertThat(report.reloadCommands()).containsExactly("systemctl restart containerd");
  }

  @Test
  void writesOneHostsFilePerRegistryWithTheEdgeFirstAndTheUpstreamAsServer() {
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-1.7-config.toml");

    node.apply("containerd:docker.io,quay.io");

    assertThat(node.read("etc/containerd/certs.d/docker.io/hosts.toml")).isEqualTo("""
        server = "https://registry-1.docker.io"

        [host."http://127.0.0.1:5000"]
        capabilities = ["pull", "resolve"]
        """);
    assertThat(node.toml("etc/containerd/certs.d/quay.io/hosts.toml"))
        .containsEntry("server", "https://quay.io")
        .containsEntry("host",
            Map.of("http://127.0.0.1:5000", Map.of("capabilities", List.of("pull", "resolve"))));
  }

  @Test
  void containerd2ConfigGetsConfigPathUnderTheImagesPlugin() {
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-2.0-config.toml");

    MirrorReport report = node.apply("containerd:docker.io");

    assertThat(report.failures()).isEmpty();
    Map<String, Object> after = node.toml(CONFIG);
    Map<String, Object> expected = RuntimeRoot.tomlResource("containerd-2.0-config.toml");
    at(expected, IMAGES_REGISTRY)
        .put("config_path", "/etc/containerd/certs.d:/etc/docker/certs.d");
    assertThat(after).isEqualTo(expected);
    assertThat(node.path("etc/containerd/certs.d/docker.io/hosts.toml")).exists();
  }

  @Test
  void secondRunChangesNothingByteForByte() {
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-1.7-config.toml");
    node.apply("containerd:docker.io,quay.io");
    Map<String, String> first = node.snapshot();

    MirrorReport second = node.apply("containerd:docker.io,quay.io");

    assertThat(second.changes()).isEmpty();
    assertThat(second.unchanged()).hasSize(3);
    assertThat(second.reloadCommands()).isEmpty();
    assertThat(node.snapshot()).isEqualTo(first);
  }

  @Test
  void emptyConfigPathOfTheDefaultConfigIsTheOnlyLineChanged() {
    String defaults = """
        version = 2

        [plugins]
          [plugins."io.containerd.grpc.v1.cri"]
            # registry settings
            [plugins."io.containerd.grpc.v1.cri".registry]
              config_path = ""   # set by the satellite

              [plugins."io.containerd.grpc.v1.cri".registry.auths]
        """;
    RuntimeRoot node = new RuntimeRoot(temp).withText(CONFIG, defaults);

    node.apply("containerd:docker.io");

    assertThat(node.read(CONFIG)).isEqualTo(defaults.replace(
        "config_path = \"\"   # set by the satellite",
        "config_path = \"/etc/containerd/certs.d\""));
  }

  @Test
  void tableMissingFromA2xConfigIsAppended() {
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-2.0-config.toml");

    node.apply("containerd:docker.io");

    assertThat(node.read(CONFIG)).isEqualTo(RuntimeRoot.resource("containerd-2.0-config.toml")
        + "\n[plugins.\"io.containerd.cri.v1.images\".registry]\n"
        + "config_path = \"/etc/containerd/certs.d:/etc/docker/certs.d\"\n");
  }

  @Test
  void layoutTheLineEditCannotFollowIsWrittenWholeWithTheSameSettings() {
    String singleQuoted = """
        version = 2
        # pulls go through the edge
        [plugins.'io.containerd.grpc.v1.cri'.registry]
          [plugins.'io.containerd.grpc.v1.cri'.registry.headers]
            X-Node = ["edge-7"]
        """;
    RuntimeRoot node = new RuntimeRoot(temp).withText(CONFIG, singleQuoted);

    MirrorReport report = node.apply("containerd:docker.io");

    assertThat(report.failures()).isEmpty();
    assertThat(node.toml(CONFIG)).isEqualTo(Map.of("version", 2, "plugins",
        Map.of("io.containerd.grpc.v1.cri", Map.of("registry", Map.of(
            "config_path", "/etc/containerd/certs.d",
            "headers", Map.of("X-Node", List.of("edge-7")))))));
    assertThat(node.read(CONFIG)).contains("# pulls go through the edge");
  }

  @Test
  void existingConfigPathIsKeptAndItsFirstDirectoryUsed() {
    RuntimeRoot node = new RuntimeRoot(temp).withText(CONFIG, """
        version = 2
        [plugins."io.containerd.grpc.v1.cri".registry]
          config_path = "/srv/registries:/etc/docker/certs.d"
        """);
    String before = node.read(CONFIG);

    MirrorReport report = node.apply("containerd:docker.io");

    assertThat(report.failures()).isEmpty();
    assertThat(node.read(CONFIG)).isEqualTo(before);
    assertThat(node.path("srv/registries/docker.io/hosts.toml")).exists();
    assertThat(report.reloadCommands()).isEmpty();
    assertThat(report.notes()).contains(
        "containerd reads certs.d/*/hosts.toml on every pull: no restart needed");
  }

  @Test
  void existingHostsFileKeepsItsHostsAfterTheEdgeAndItsServer() {
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-1.7-config.toml")
        .withText("etc/containerd/certs.d/docker.io/hosts.toml", """
            # the site's own cache
            server = "https://docker.io"

            [host."https://cache.example.com"]
              capabilities = ["pull"]
              ca = "/etc/ssl/cache.pem"
            """);

    node.apply("containerd:docker.io");

    String hosts = node.read("etc/containerd/certs.d/docker.io/hosts.toml");
    Map<String, Object> values = node.toml("etc/containerd/certs.d/docker.io/hosts.toml");
    assertThat(values).containsEntry("server", "https://docker.io");
    assertThat(values.get("host")).isEqualTo(Map.of(
        "http://127.0.0.1:5000", Map.of("capabilities", List.of("pull", "resolve")),
        "https://cache.example.com",
            Map.of("capabilities", List.of("pull"), "ca", "/etc/ssl/cache.pem")));
    assertThat(hosts.indexOf("127.0.0.1:5000")).isLessThan(hosts.indexOf("cache.example.com"));
    assertThat(hosts).contains("# the site's own cache");
  }

  @Test
  void missingConfigIsCreatedInTheVersion2Format() {
    RuntimeRoot node = new RuntimeRoot(temp);

    MirrorReport report = node.apply("containerd:docker.io");

    assertThat(report.failures()).isEmpty();
    assertThat(node.read(CONFIG)).isEqualTo("""
        version = 2

        [plugins."io.containerd.grpc.v1.cri".registry]
        config_path = "/etc/containerd/certs.d"
        """);
    assertThat(node.path(CONFIG + ".satellite.bak")).doesNotExist();
  }

  @Test
  void brokenConfigIsReportedAndLeftUntouchedWithNoHostsWritten() {
    RuntimeRoot node = new RuntimeRoot(temp).withText(CONFIG,
        "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry\n");
    Map<String, String> before = node.snapshot();

    MirrorReport report = node.apply("containerd:docker.io");

    assertThat(report.ok()).isFalse();
    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.path()).isEqualTo(node.path(CONFIG));
      assertThat(failure.reason()).startsWith(node.path(CONFIG) + ": not valid TOML")
          .endsWith("left untouched, no hosts.toml written");
    });
    assertThat(node.snapshot()).isEqualTo(before);
  }

  @Test
  void legacyMirrorsAreRefusedBecauseContainerdWouldNotStart() {
    RuntimeRoot node = new RuntimeRoot(temp).withText(CONFIG, """
        version = 2
        [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
          endpoint = ["https://mirror.example.com"]
        """);
    Map<String, String> before = node.snapshot();

    MirrorReport report = node.apply("containerd:docker.io");

    assertThat(report.failures()).singleElement().extracting(FileFailure::reason).asString()
        .contains("registry.mirrors is set, and containerd refuses config_path next to it");
    assertThat(node.snapshot()).isEqualTo(before);
  }

  @Test
  void versionOneFormatIsRefused() {
    RuntimeRoot node = new RuntimeRoot(temp).withText(CONFIG, "[plugins.cri]\n  x = 1\n");

    MirrorReport report = node.apply("containerd:docker.io");

    assertThat(report.failures()).singleElement().extracting(FileFailure::reason).asString()
        .contains("no top-level version", "containerd config migrate");
  }

  @Test
  void brokenHostsFileIsReportedWhileTheOtherRegistriesAreWritten() throws Exception {
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-1.7-config.toml")
        .withText("etc/containerd/certs.d/quay.io/hosts.toml", "server = \n");

    MirrorReport report = node.apply("containerd:docker.io,quay.io");

    assertThat(report.failures()).singleElement().satisfies(failure ->
        assertThat(failure.path())
            .isEqualTo(node.path("etc/containerd/certs.d/quay.io/hosts.toml")));
    assertThat(node.read("etc/containerd/certs.d/quay.io/hosts.toml")).isEqualTo("server = \n");
    assertThat(Files.exists(node.path("etc/containerd/certs.d/docker.io/hosts.toml"))).isTrue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> tree, List<String> path) {
    Map<String, Object> current = tree;
    for (String key : path) {
      current = (Map<String, Object>) current.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }
    return current;
  }
}
