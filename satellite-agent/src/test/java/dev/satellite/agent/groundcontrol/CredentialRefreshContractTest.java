package dev.satellite.agent.groundcontrol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The credential refresh contract as harbor-satellite's sources state it: the heartbeat answer of
 * v0.0.4 (no body) and of PR #501 ({@code {"events": ["refresh_credentials"]}}), and the refresh
 * route (ADR #307's {@code POST /satellites/refresh-credentials}, PR #501's first {@code POST
 * /api/refresh}) with {@code {"name"}} in and {@code {"secret"}} out.
 */
class CredentialRefreshContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Registration CURRENT = new Registration(
      "https://harbor.example.com/satellite/satellite-state/edge-1/state:latest",
      "https://harbor.example.com", "robot$satellite-edge-1", "old-Secret-1");

  private final MockWebServer server = new MockWebServer();
  private GroundControlClient client;

  @BeforeEach
  void start() throws Exception {
    server.start();
    client = GroundControlClient.builder("http://" + server.getHostName() + ":" + server.getPort())
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aHeartbeatAnswerWithoutABodyNamesNoEvents() {
    server.enqueue(new MockResponse.Builder().code(200).build());

    HeartbeatAnswer answer = client.heartbeat(CURRENT, beat());

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.events()).isEmpty();
    assertThat(answer.refreshCredentials()).isFalse();
  }

  @Test
  void aHeartbeatAnswerWithTheRefreshEventAsksForARefresh() {
    server.enqueue(json(200, "{\"events\": [\"refresh_credentials\"]}"));

    HeartbeatAnswer answer = client.heartbeat(CURRENT, beat());

    assertThat(answer.events()).containsExactly("refresh_credentials");
    assertThat(answer.refreshCredentials()).isTrue();
  }

  @Test
  void theEarlyRevisionsActionsMemberIsReadTooAndUnknownEventsAreKept() {
    server.enqueue(json(200, "{\"actions\": [\"refresh_credentials\", \"later_event\"]}"));

    HeartbeatAnswer answer = client.heartbeat(CURRENT, beat());

    assertThat(answer.events()).containsExactly("refresh_credentials", "later_event");
    assertThat(answer.refreshCredentials()).isTrue();
  }

  @Test
  void anEmptyEventListAsksForNothing() {
    server.enqueue(json(200, "{\"events\": []}"));

    assertThat(client.heartbeat(CURRENT, beat()).refreshCredentials()).isFalse();
  }

  @Test
  void aHeartbeatRefusedForAnExpiredRobotIsA401ThatIsNotPassable() {
    server.enqueue(json(401, "{\"message\": \"Authentication required\", \"code\": 401}"));

    assertThatThrownBy(() -> client.heartbeat(CURRENT, beat()))
        .isInstanceOfSatisfying(GroundControlException.class, e -> {
          assertThat(e.statusCode()).hasValue(401);
          assertThat(e.passable()).isFalse();
          assertThat(e.getMessage()).contains("refused the robot account")
              .doesNotContain("old-Secret-1");
        });
  }

  @Test
  void refreshPostsTheSatellitesNameWithTheCurrentSecretAndReadsTheNewOne() throws Exception {
    server.enqueue(json(200, "{\"secret\": \"new-Secret-2\"}"));

    Registration refreshed = client.refreshCredentials(CURRENT);

    assertThat(refreshed.password()).isEqualTo("new-Secret-2");
    assertThat(refreshed.username()).isEqualTo(CURRENT.username());
    assertThat(refreshed.stateReference()).isEqualTo(CURRENT.stateReference());
    assertThat(refreshed.registryUrl()).isEqualTo(CURRENT.registryUrl());
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getTarget()).isEqualTo("/satellites/refresh-credentials");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
        .encodeToString("robot$satellite-edge-1:old-Secret-1".getBytes(UTF_8)));
    assertThat(JSON.readTree(request.getBody().utf8()))
        .isEqualTo(JSON.readTree("{\"name\": \"edge-1\"}"));
  }

  @Test
  void aRobotNameInTheAnswerRenamesTheRobot() {
    server.enqueue(json(200, "{\"robot_name\": \"robot$satellite-edge-1b\", \"secret\": \"s2\"}"));

    Registration refreshed = client.refreshCredentials(CURRENT);

    assertThat(refreshed.username()).isEqualTo("robot$satellite-edge-1b");
    assertThat(refreshed.password()).isEqualTo("s2");
  }

  @Test
  void aGroundControlWithoutTheAdrRouteIsAskedWherePr501FirstPutIt() throws Exception {
    server.enqueue(json(404, "{\"error\": \"not found\"}"));
    server.enqueue(json(200, "{\"secret\": \"new-Secret-2\"}"));

    assertThat(client.refreshCredentials(CURRENT).password()).isEqualTo("new-Secret-2");

    assertThat(server.takeRequest().getTarget()).isEqualTo("/satellites/refresh-credentials");
    RecordedRequest second = server.takeRequest();
    assertThat(second.getMethod()).isEqualTo("POST");
    assertThat(second.getTarget()).isEqualTo("/api/refresh");
    assertThat(JSON.readTree(second.getBody().utf8()).get("name").asText()).isEqualTo("edge-1");
  }

  @Test
  void aGroundControlWithoutAnyRefreshRouteIsReportedAsSuchAndNotPassable() {
    server.enqueue(json(404, "{\"error\": \"not found\"}"));
    server.enqueue(new MockResponse.Builder().code(405).build());

    assertThatThrownBy(() -> client.refreshCredentials(CURRENT))
        .isInstanceOfSatisfying(GroundControlException.class, e -> {
          assertThat(e.statusCode()).hasValue(404);
          assertThat(e.passable()).isFalse();
          assertThat(e.getMessage()).contains("no credential refresh route")
              .contains("PR #501").contains("new registration token")
              .doesNotContain("old-Secret-1");
        });
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aRefusedSecretOnTheRefreshRouteNamesTheWayOut() {
    server.enqueue(json(401, "{\"message\": \"Unauthorized\"}"));

    assertThatThrownBy(() -> client.refreshCredentials(CURRENT))
        .isInstanceOfSatisfying(GroundControlException.class, e -> {
          assertThat(e.statusCode()).hasValue(401);
          assertThat(e.passable()).isFalse();
          assertThat(e.getMessage()).contains("new token").doesNotContain("old-Secret-1");
        });
    assertThat(server.getRequestCount()).as("a refusal is not a missing route").isEqualTo(1);
  }

  @Test
  void aFailingGroundControlIsPassable() {
    server.enqueue(json(500, "{\"message\": \"Error: failed to refresh robot secret\"}"));

    assertThatThrownBy(() -> client.refreshCredentials(CURRENT))
        .isInstanceOfSatisfying(GroundControlException.class, e -> {
          assertThat(e.passable()).isTrue();
          assertThat(e.getMessage()).contains("failed to refresh robot secret");
        });
  }

  @Test
  void anAnswerWithoutASecretIsRefused() {
    server.enqueue(json(200, "{\"secret\": \"\"}"));

    assertThatThrownBy(() -> client.refreshCredentials(CURRENT))
        .isInstanceOf(GroundControlException.class).hasMessageContaining("no 'secret'");
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
        .body(body).build();
  }

  private static Heartbeat beat() {
    return Heartbeat.builder("edge-1").activity("idle").stateReportInterval(Duration.ofSeconds(30))
        .createdAt(Instant.parse("2026-12-01T10:00:00Z")).lastSyncDuration(Duration.ZERO).build();
  }
}
