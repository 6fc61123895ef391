package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistriesConfMirrorsTest {
  private static final String MAIN = "etc/containers/registries.conf";
  private static final String DROP_IN =
      "etc/containers/registries.conf.d/99-satellite-mirrors.conf";
  private static final Map<String, Object> EDGE_MIRROR =
      Map.of("location", "127.0.0.1:5000", "insecure", true);

  @TempDir Path temp;

  @Test
  void dropInPutsTheEdgeFirstAndTheMainFileStaysByteForByte() {
    RuntimeRoot node = new RuntimeRoot(temp).with(MAIN, "registries.conf");
    String main = node.read(MAIN);

    MirrorReport report = node.apply("podman:docker.io,quay.io");

    assertThat(report.failures()).isEmpty();
    assertThat(node.read(MAIN)).isEqualTo(main);
    assertThat(node.read(DROP_IN)).isEqualTo("""
        [[registry]]
        prefix = "docker.io"
        location = "docker.io"
        [[registry.mirror]]
        location = "127.0.0.1:5000"
        insecure = true
        [[registry.mirror]]
        location = "mirror.example.com:5000"
        insecure = true
        [[registry]]
        prefix = "quay.io"
        location = "quay.io"
        [[registry.mirror]]
        location = "127.0.0.1:5000"
        insecure = true
        """);
    assertThat(report.changes()).singleElement().satisfies(change ->
        assertThat(change.runtimes()).containsExactly(ContainerRuntime.PODMAN));
    assertThat(report.reloadCommands()).isEmpty();
  }

  @Test
  void effectiveConfigurationKeepsEveryOtherSettingOfTheMainFile() {
    RuntimeRoot node = new RuntimeRoot(temp).with(MAIN, "registries.conf");

    node.apply("crio:docker.io");

    Map<String, Object> effective = effective(node.toml(MAIN), node.toml(DROP_IN));
    Map<String, Object> expected = RuntimeRoot.tomlResource("registries.conf");
    List<Map<String, Object>> registries = registries(expected);
    Map<String, Object> dockerHub = registries.get(1);
    List<Object> mirrors = new ArrayList<>();
    mirrors.add(EDGE_MIRROR);
    mirrors.addAll((List<?>) dockerHub.get("mirror"));
    dockerHub.put("mirror", mirrors);
    assertThat(effective).isEqualTo(expected);
    assertThat(effective).containsEntry("unqualified-search-registries",
        List.of("registry.fedoraproject.org", "quay.io", "docker.io"));
  }

  @Test
  void secondRunChangesNothingByteForByte() {
    RuntimeRoot node = new RuntimeRoot(temp).with(MAIN, "registries.conf");
    node.apply("crio:docker.io", "podman:quay.io");
    Map<String, String> first = node.snapshot();

    MirrorReport second = node.apply("crio:docker.io", "podman:quay.io");

    assertThat(second.changes()).isEmpty();
    assertThat(second.unchanged()).containsExactly(node.path(DROP_IN));
    assertThat(node.snapshot()).isEqualTo(first);
  }

  @Test
  void registriesOfAnEarlierRunStayInTheDropIn() {
    RuntimeRoot node = new RuntimeRoot(temp);
    node.apply("podman:docker.io");

    node.apply("podman:quay.io");

    assertThat(registries(node.toml(DROP_IN))).extracting(entry -> entry.get("prefix"))
        .containsExactly("docker.io", "quay.io");
  }

  @Test
  void httpsEdgeIsNotMarkedInsecure() {
    RuntimeRoot node = new RuntimeRoot(temp);

    RuntimeMirrors.builder().edge("https://edge.example.com").runtimeRoot(temp)
        .mirrors("podman:docker.io").build().apply();

    assertThat(registries(node.toml(DROP_IN)).get(0).get("mirror"))
        .isEqualTo(List.of(Map.of("location", "edge.example.com")));
  }

  @Test
  void laterDropInThatReplacesOurTableIsAFailure() {
    RuntimeRoot node = new RuntimeRoot(temp).withText(
        "etc/containers/registries.conf.d/zz-site.conf",
        "[[registry]]\nprefix = \"docker.io\"\nlocation = \"docker.io\"\n");

    MirrorReport report = node.apply("podman:docker.io");

    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.path())
          .isEqualTo(node.path("etc/containers/registries.conf.d/zz-site.conf"));
      assertThat(failure.reason()).contains("is read after 99-satellite-mirrors.conf",
          "pulls of docker.io will not use the edge mirror");
    });
  }

  @Test
  void moreSpecificPrefixWithoutTheEdgeIsNoted() {
    RuntimeRoot node = new RuntimeRoot(temp).with(MAIN, "registries.conf");

    MirrorReport report = node.apply("podman:quay.io");

    assertThat(report.notes()).anySatisfy(note -> assertThat(note)
        .contains("quay.io/acme is more specific than quay.io and has no edge mirror"));
  }

  @Test
  void brokenMainFileIsReportedAndNothingIsWritten() {
    RuntimeRoot node = new RuntimeRoot(temp).withText(MAIN, "[[registry]\nprefix = \"x\"\n");
    Map<String, String> before = node.snapshot();

    MirrorReport report = node.apply("podman:docker.io");

    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.path()).isEqualTo(node.path(DROP_IN));
      assertThat(failure.reason()).startsWith(node.path(MAIN) + ": not valid TOML")
          .endsWith("99-satellite-mirrors.conf left untouched");
    });
    assertThat(node.snapshot()).isEqualTo(before);
  }

  /** The drop-in rules: top-level keys replace, [[registry]] tables replace by prefix. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> effective(Map<String, Object> main, Map<String, Object> dropIn) {
    Map<String, Object> merged = new LinkedHashMap<>(main);
    List<Map<String, Object>> entries = new ArrayList<>(registries(main));
    for (Map<String, Object> entry : registries(dropIn)) {
      Object prefix = entry.get("prefix");
      int same = -1;
      for (int i = 0; i < entries.size(); i++) {
        Map<String, Object> existing = entries.get(i);
        if (prefix.equals(existing.getOrDefault("prefix", existing.get("location")))) {
          same = i;
        }
      }
      if (same >= 0) {
        entries.set(same, entry);
      } else {
        entries.add(entry);
      }
    }
    dropIn.forEach((key, value) -> merged.put(key, value));
    merged.put("registry", entries);
    return merged;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> registries(Map<String, Object> tree) {
    return (List<Map<String, Object>>) tree.getOrDefault("registry", List.of());
  }
}
