package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.agent.runtime.internal.TomlFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written files read by the runtimes' own parsers, where the runtime is installed (Debian's
 * {@code containerd} and {@code podman} packages; .ci/run installs them). Without the binary each
 * test is skipped with one line, unless {@code -Dsatellite.requireRuntimes=true} makes that a
 * failure.
 *
 * <p>What is and is not validated: {@code containerd config dump} parses {@code config.toml} with
 * containerd's own loader (it fails on invalid TOML and unknown versions) and prints the merged
 * configuration, so {@code config_path} is checked where containerd reads it; it does not read
 * {@code hosts.toml}, which containerd parses at pull time only ({@link
 * ContainerdPullIT} pulls through it). Debian's containerd is 1.6, so the
 * {@code version = 3} (2.x) file is not checked by a real 2.x. {@code podman info} loads
 * registries.conf and the drop-in directory with the containers/image rules and prints the
 * effective registries.
 */
class RealRuntimeParsersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void containerdReadsTheWrittenConfigPath() throws Exception {
    Path containerd = RuntimeBinaries.find("containerd", "containerd");
    RuntimeRoot node = new RuntimeRoot(temp.resolve("root"))
        .with("etc/containerd/config.toml", "containerd-1.7-config.toml");
    assertThat(node.apply("containerd:docker.io").failures()).isEmpty();

    Map<String, Object> dump = TomlFiles.values(TomlFiles.parse(Path.of("config dump"),
        run(List.of(containerd.toString(), "--config",
            node.path("etc/containerd/config.toml").toString(), "config", "dump"), Map.of())
            .getBytes(StandardCharsets.UTF_8)));

    Map<String, Object> cri = table(dump, "plugins", "io.containerd.grpc.v1.cri");
    assertThat(table(cri, "registry")).containsEntry("config_path", "/etc/containerd/certs.d");
    assertThat(cri).containsEntry("sandbox_image", "registry.k8s.io/pause:3.9");
    assertThat(table(cri, "containerd", "runtimes", "runc", "options"))
        .containsEntry("SystemdCgroup", true);
    assertThat(table(cri, "registry", "configs", "harbor.example.com", "auth"))
        .containsEntry("username", "robot$edge");
  }

  @Test
  void containerdReadsAConfigCreatedFromNothing() throws Exception {
    Path containerd = RuntimeBinaries.find("containerd", "containerd");
    RuntimeRoot node = new RuntimeRoot(temp.resolve("root"));
    assertThat(node.apply("containerd:quay.io").failures()).isEmpty();

    String dump = run(List.of(containerd.toString(), "--config",
        node.path("etc/containerd/config.toml").toString(), "config", "dump"), Map.of());

    Map<String, Object> values = TomlFiles.values(
        TomlFiles.parse(Path.of("config dump"), dump.getBytes(StandardCharsets.UTF_8)));
    assertThat(table(values, "plugins", "io.containerd.grpc.v1.cri", "registry"))
        .containsEntry("config_path", "/etc/containerd/certs.d");
  }

  @Test
  void podmanSeesTheEdgeFirstAndEveryOtherRegistrySetting() throws Exception {
    Path podman = RuntimeBinaries.find("podman", "podman");
    RuntimeRoot node = new RuntimeRoot(temp.resolve("root"))
        .with("etc/containers/registries.conf", "registries.conf");
    assertThat(node.apply("podman:docker.io,quay.io").failures()).isEmpty();
    // With $HOME/.config/containers/registries.conf present, containers/image reads it and then
    // $HOME/.config/containers/registries.conf.d/*.conf: the same rules as /etc, under a test root.
    Path config = temp.resolve("home/.config/containers");
    Files.createDirectories(config.resolve("registries.conf.d"));
    Files.copy(node.path("etc/containers/registries.conf"), config.resolve("registries.conf"));
    Files.copy(node.path("etc/containers/registries.conf.d/99-satellite-mirrors.conf"),
        config.resolve("registries.conf.d/99-satellite-mirrors.conf"));

    JsonNode registries = JSON.readTree(run(List.of(podman.toString(), "info", "--format",
        "{{json .Registries}}"), Map.of("HOME", temp.resolve("home").toString())));

    JsonNode dockerHub = registries.get("docker.io");
    assertThat(dockerHub.get("Location").asText()).isEqualTo("docker.io");
    assertThat(dockerHub.get("Mirrors")).hasSize(2);
    assertThat(dockerHub.get("Mirrors").get(0).get("Location").asText())
        .isEqualTo("127.0.0.1:5000");
    assertThat(dockerHub.get("Mirrors").get(0).get("Insecure").asBoolean()).isTrue();
    assertThat(dockerHub.get("Mirrors").get(1).get("Location").asText())
        .isEqualTo("mirror.example.com:5000");
    assertThat(registries.get("quay.io").get("Mirrors").get(0).get("Location").asText())
        .isEqualTo("127.0.0.1:5000");
    assertThat(registries.get("quay.io/acme").get("Location").asText())
        .isEqualTo("harbor.example.com/quay-acme");
    assertThat(registries.get("ghcr.io").get("Blocked").asBoolean()).isTrue();
    assertThat(registries.get("search")).extracting(JsonNode::asText)
        .containsExactly("registry.fedoraproject.org", "quay.io", "docker.io");
  }

  private static String run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().remove("CONTAINERS_REGISTRIES_CONF");
    builder.environment().putAll(env);
    Path stderr = Files.createTempFile("runtime-parser", ".err");
    builder.redirectError(stderr.toFile());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    String errors = Files.readString(stderr);
    Files.delete(stderr);
    assertThat(process.exitValue()).as("%s exit status, stderr: %s", command, errors).isZero();
    return output;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> table(Map<String, Object> tree, String... path) {
    Map<String, Object> current = tree;
    for (String key : path) {
      assertThat(current).as("table %s", key).containsKey(key);
      current = (Map<String, Object>) current.get(key);
    }
    return current;
  }
}
