package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerMirrorsTest {
  private static final String DAEMON_JSON = "etc/docker/daemon.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void edgeGoesFirstAmongTheMirrorsAndEveryOtherKeyStays() throws Exception {
    RuntimeRoot node = new RuntimeRoot(temp).with(DAEMON_JSON, "daemon.json");
    ObjectNode expected = (ObjectNode) JSON.readTree(node.read(DAEMON_JSON));

    MirrorReport report = node.apply("docker:docker.io");

    assertThat(report.failures()).isEmpty();
    JsonNode after = JSON.readTree(node.read(DAEMON_JSON));
    ((ArrayNode) expected.get("registry-mirrors")).insert(0, "http://127.0.0.1:5000");
    ((ArrayNode) expected.get("insecure-registries")).add("127.0.0.1:5000");
    assertThat(after).isEqualTo(expected);
    assertThat(node.read(DAEMON_JSON)).startsWith("{\n    \"data-root\": \"/srv/docker\",\n");
    assertThat(report.reloadCommands()).containsExactly("systemctl reload docker");
  }

  @Test
  void secondRunChangesNothingByteForByte() {
    RuntimeRoot node = new RuntimeRoot(temp).with(DAEMON_JSON, "daemon.json");
    node.apply("docker:docker.io");
    Map<String, String> first = node.snapshot();

    MirrorReport second = node.apply("docker:docker.io");

    assertThat(second.changes()).isEmpty();
    assertThat(node.snapshot()).isEqualTo(first);
  }

  @Test
  void edgeListedAfterAnotherMirrorMovesFirstWithoutADuplicate() throws Exception {
    RuntimeRoot node = new RuntimeRoot(temp).withText(DAEMON_JSON, """
        {"registry-mirrors": ["https://mirror.gcr.io", "http://127.0.0.1:5000/"],
         "insecure-registries": ["127.0.0.1:5000"]}
        """);

    node.apply("docker:docker.io");

    assertThat(JSON.readTree(node.read(DAEMON_JSON))).isEqualTo(JSON.readTree("""
        {"registry-mirrors": ["http://127.0.0.1:5000", "https://mirror.gcr.io"],
         "insecure-registries": ["127.0.0.1:5000"]}
        """));
  }

  @Test
  void httpsEdgeIsNotListedAsInsecure() throws Exception {
    RuntimeRoot node = new RuntimeRoot(temp);

    RuntimeMirrors.builder().edge("https://edge.example.com:8443").runtimeRoot(temp)
        .mirrors("docker:docker.io").build().apply();

    assertThat(JSON.readTree(node.read(DAEMON_JSON)))
        .isEqualTo(JSON.readTree("{\"registry-mirrors\": [\"https://edge.example.com:8443\"]}"));
  }

  @Test
  void otherRegistriesCannotBeMirroredByDocker() {
    assertThatThrownBy(() -> new RuntimeRoot(temp).mirrors("docker:quay.io"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("docker cannot mirror quay.io: Docker Engine's registry-mirrors applies to"
            + " Docker Hub (docker.io) only");
  }

  @Test
  void detectedDockerNotesTheRegistriesItCannotMirror() {
    RuntimeRoot node = new RuntimeRoot(temp).with(DAEMON_JSON, "daemon.json");

    MirrorReport report = node.apply("auto:docker.io,quay.io");

    assertThat(report.notes()).contains("docker: quay.io not mirrored: Docker Engine's"
        + " registry-mirrors applies to Docker Hub (docker.io) only");
    assertThat(report.changes()).extracting(FileChange::path)
        .containsExactly(node.path(DAEMON_JSON));
  }

  @Test
  void brokenJsonIsReportedAndLeftUntouched() {
    RuntimeRoot node = new RuntimeRoot(temp).withText(DAEMON_JSON, "{\"a\": 1, \"a\": 2}\n");
    Map<String, String> before = node.snapshot();

    MirrorReport report = node.apply("docker:docker.io");

    assertThat(report.failures()).singleElement().extracting(FileFailure::reason).asString()
        .startsWith(node.path(DAEMON_JSON) + ": not valid JSON: Duplicate field 'a'")
        .endsWith("; left untouched");
    assertThat(node.snapshot()).isEqualTo(before);
  }

  @Test
  void mirrorsThatAreNotAListAreRefused() {
    RuntimeRoot node = new RuntimeRoot(temp)
        .withText(DAEMON_JSON, "{\"registry-mirrors\": \"https://mirror.gcr.io\"}");

    MirrorReport report = node.apply("docker:docker.io");

    assertThat(report.failures()).extracting(FileFailure::reason)
        .containsExactly(node.path(DAEMON_JSON) + ": \"registry-mirrors\" is not an array;"
            + " left untouched");
    assertThat(List.of(node.read(DAEMON_JSON)))
        .containsExactly("{\"registry-mirrors\": \"https://mirror.gcr.io\"}");
  }
}
