package dev.satellite.agent.groundcontrol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.agent.groundcontrol.Heartbeat.CachedImage;
import dev.satellite.registry.HttpExchangeListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Ground Control wire contract: zero-touch registration and heartbeats. */
class GroundControlClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "7f3c9e2a1b4d";
  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String ANSWER = "{\"state\": \"https://harbor.example.com/satellite/"
      + "satellite-state/edge-1/state:latest\", \"auth\": {\"url\": \"https://harbor.example.com\","
      + " \"username\": \"robot$satellite-edge-1\", \"password\": \"r0b0t-Secret\"}}";

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
  void registersWithAGetOfTheTokenPathAndReadsTheAnswer() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());

    Registration registration = client.register(TOKEN);

    assertThat(registration.stateReference())
        .isEqualTo("https://harbor.example.com/satellite/satellite-state/edge-1/state:latest");
    assertThat(registration.registryUrl()).isEqualTo("https://harbor.example.com");
    assertThat(registration.username()).isEqualTo("robot$satellite-edge-1");
    assertThat(registration.password()).isEqualTo("r0b0t-Secret");
    assertThat(registration.satelliteName()).isEqualTo("edge-1");
    assertThat(registration.toString()).doesNotContain("r0b0t-Secret");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getTarget()).isEqualTo("/satellites/ztr/" + TOKEN);
    assertThat(request.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void aRateLimitedAnswerIsPassableCarriesRetryAfterAndHoldsTheNextRequestBack() {
    long[] now = {0};
    List<Duration> waits = new java.util.ArrayList<>();
    client.close();
    client = GroundControlClient.builder("http://" + server.getHostName() + ":" + server.getPort())
        .budget(new dev.satellite.agent.groundcontrol.internal.RequestBudget(10,
            Duration.ofSeconds(62), () -> now[0], wait -> {
              waits.add(wait);
              now[0] += wait.toNanos();
            }))
        .build();
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "12")
        .body("{\"error\": \"Too Many Requests\"}").build());
    server.enqueue(new MockResponse.Builder().code(429)
        .body("{\"error\": \"Too Many Requests\"}").build());
    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());

    assertThatThrownBy(() -> client.register(TOKEN))
        .isInstanceOfSatisfying(GroundControlException.class, e -> {
          assertThat(e.passable()).isTrue();
          assertThat(e.statusCode()).hasValue(429);
          assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(12));
        })
        .isNotInstanceOf(RegistrationRefusedException.class)
        .hasMessageContaining("Too Many Requests")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    assertThatThrownBy(() -> client.register(TOKEN))
        .isInstanceOfSatisfying(GroundControlException.class, e -> assertThat(e.retryAfter())
            .as("Ground Control names no wait: its whole window").hasValue(Duration.ofMinutes(1)));
    client.register(TOKEN);

    assertThat(waits).containsExactly(Duration.ofSeconds(12), Duration.ofMinutes(1));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404})
  void aRefusedTokenIsARegistrationRefusal(int status) {
    server.enqueue(new MockResponse.Builder().code(status)
        .body("{\"message\": \"Error: Invalid Token\", \"code\": " + status + "}").build());

    assertThatThrownBy(() -> client.register(TOKEN))
        .isInstanceOfSatisfying(RegistrationRefusedException.class, e -> {
          assertThat(e.passable()).isFalse();
          assertThat(e.statusCode()).hasValue(status);
        })
        .hasMessageContaining("Invalid Token");
  }

  @Test
  void keepsThePathOfTheGroundControlUrl() throws Exception {
    client.close();
    client = GroundControlClient.builder(
        "http://" + server.getHostName() + ":" + server.getPort() + "/gc").build();
    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());

    client.register(TOKEN);

    assertThat(server.takeRequest().getTarget()).isEqualTo("/gc/satellites/ztr/" + TOKEN);
  }

  @Test
  void urlWithoutSchemeIsHttps() {
    try (GroundControlClient https = GroundControlClient.builder("gc.example.com:8443").build()) {
      assertThat(https.url()).isEqualTo("https://gc.example.com:8443/");
    }
    assertThatThrownBy(() -> GroundControlClient.builder("ftp://gc.example.com"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://gc.example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"error\": \"Invalid or expired token\"}", "token expired"})
  void refusedTokenIsAClearErrorNamingGroundControlsAnswer(String body) {
    server.enqueue(new MockResponse.Builder().code(400).body(body).build());

    assertThatThrownBy(() -> client.register(TOKEN))
        .isInstanceOfSatisfying(GroundControlException.class, e -> {
          assertThat(e.statusCode()).hasValue(400);
          assertThat(e.passable()).isFalse();
          assertThat(e.getMessage())
              .contains("register with Ground Control at http://" + server.getHostName())
              .contains("400")
              .contains(body.contains("Invalid") ? "Invalid or expired token" : "token expired")
              .contains("single-use")
              .doesNotContain(TOKEN);
        });
  }

  @Test
  void serverErrorsAndNoAnswerMayPassAndNeverShowTheToken() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).body("down for maintenance").build());
    assertThatThrownBy(() -> client.register(TOKEN))
        .isInstanceOfSatisfying(GroundControlException.class, e -> {
          assertThat(e.passable()).isTrue();
          assertThat(e.statusCode()).hasValue(503);
          assertThat(e.getMessage()).contains("down for maintenance").doesNotContain(TOKEN);
        });

    int port = server.getPort();
    server.close();
    try (GroundControlClient down =
        GroundControlClient.builder("http://127.0.0.1:" + port).build()) {
      assertThatThrownBy(() -> down.register(TOKEN))
          .isInstanceOfSatisfying(GroundControlException.class, e -> {
            assertThat(e.passable()).isTrue();
            assertThat(e.statusCode()).isEmpty();
            assertThat(e.getMessage()).contains("no answer").doesNotContain(TOKEN);
          });
    }
  }

  @Test
  void tokenIsRedactedAlsoWhenGroundControlEchoesItOrItNeedsEncoding() throws Exception {
    String token = "a b/c+d";
    server.enqueue(new MockResponse.Builder().code(400)
        .body("{\"error\": \"token a b/c+d not found\"}").build());

    assertThatThrownBy(() -> client.register(token))
        .hasMessageContaining("token <token> not found")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
    assertThat(server.takeRequest().getTarget()).isEqualTo("/satellites/ztr/a%20b%2Fc+d");
  }

  @Test
  void answerWithoutCredentialsIsRefusedNamingTheField() {
    server.enqueue(new MockResponse.Builder().code(200)
        .body("{\"state\": \"h/satellite/satellite-state/e/state:latest\", \"auth\": "
            + "{\"url\": \"https://h\", \"username\": \"robot$e\"}}").build());

    assertThatThrownBy(() -> client.register(TOKEN))
        .isInstanceOf(GroundControlException.class)
        .hasMessageContaining("'auth.password' is missing");
  }

  @Test
  void heartbeatIsAJsonPostWithBasicAuthAndEveryField() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Registration registration = new Registration(
        "https://h/satellite/satellite-state/edge-1/state:latest", "https://h", "robot$edge-1",
        "s3cret");
    Heartbeat heartbeat = Heartbeat.builder("edge-1")
        .activity("idle: last sync complete")
        .stateReportInterval(Duration.ofSeconds(90))
        .latestStateDigest(DIGEST)
        .latestConfigDigest("sha256:" + "b".repeat(64))
        .memoryUsedBytes(1234)
        .storageUsedBytes(5678)
        .cpuPercent(12.5)
        .createdAt(Instant.parse("2026-12-01T20:15:30.250Z"))
        .lastSyncDuration(Duration.ofMillis(4321))
        .cachedImages(
            List.of(new CachedImage("127.0.0.1:5000/library/nginx:1.27@" + DIGEST, 2048)))
        .build();

    assertThat(client.heartbeat(registration, heartbeat).status()).isEqualTo(200);

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getTarget()).isEqualTo("/satellites/sync");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString("robot$edge-1:s3cret".getBytes(UTF_8)));
    JsonNode body = JSON.readTree(request.getBody().utf8());
    assertThat(body.properties()).extracting(java.util.Map.Entry::getKey).containsExactlyInAnyOrder(
        "name", "activity", "state_report_interval", "latest_state_digest",
        "latest_config_digest", "memory_used_bytes", "storage_used_bytes", "cpu_percent",
        "request_created_time", "last_sync_duration_ms", "image_count", "cached_images");
    assertThat(body.get("name").asText()).isEqualTo("edge-1");
    assertThat(body.get("activity").asText()).isEqualTo("idle: last sync complete");
    assertThat(body.get("state_report_interval").asText()).isEqualTo("@every 00h01m30s");
    assertThat(body.get("latest_state_digest").asText()).isEqualTo(DIGEST);
    assertThat(body.get("latest_config_digest").asText()).isEqualTo("sha256:" + "b".repeat(64));
    assertThat(body.get("memory_used_bytes").asLong()).isEqualTo(1234);
    assertThat(body.get("storage_used_bytes").asLong()).isEqualTo(5678);
    assertThat(body.get("cpu_percent").asDouble()).isEqualTo(12.5);
    assertThat(body.get("request_created_time").asText()).isEqualTo("2026-12-01T20:15:30Z");
    assertThat(body.get("last_sync_duration_ms").asLong()).isEqualTo(4321);
    assertThat(body.get("image_count").asInt()).isEqualTo(1);
    assertThat(body.get("cached_images").get(0).get("reference").asText())
        .isEqualTo("127.0.0.1:5000/library/nginx:1.27@" + DIGEST);
    assertThat(body.get("cached_images").get(0).get("size_bytes").asLong()).isEqualTo(2048);
  }

  @Test
  void anExchangeListenerHearsOfEveryExchangeWithItsStatusAndWhetherItCarriedCredentials()
      throws Exception {
    List<HttpExchangeListener.Exchange> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    client.close();
    client = GroundControlClient.builder("http://" + server.getHostName() + ":" + server.getPort())
        .exchangeListener(heard::add).build();
    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());
    server.enqueue(new MockResponse.Builder().code(403).body("{}").build());
    Registration registration = client.register(TOKEN);

    assertThatThrownBy(() -> client.heartbeat(registration, idle("edge-1")))
        .isInstanceOf(GroundControlException.class);

    assertThat(heard).extracting(exchange -> exchange.method() + " " + exchange.status()
        + " " + exchange.authenticated() + " " + exchange.host())
        .containsExactly("GET OptionalInt[200] false " + server.getHostName(),
            "POST OptionalInt[403] true " + server.getHostName());
  }

  @ParameterizedTest
  @ValueSource(ints = {403, 400, 500})
  void heartbeatThatIsNotAcceptedNamesTheStatus(int status) {
    server.enqueue(new MockResponse.Builder().code(status)
        .body("{\"error\": \"satellite not found\"}").build());
    Registration registration = new Registration("h/satellite/satellite-state/e/state:latest",
        "https://h", "robot$e", "s3cret");
    Heartbeat heartbeat = idle("e");

    assertThatThrownBy(() -> client.heartbeat(registration, heartbeat))
        .isInstanceOfSatisfying(GroundControlException.class, e -> {
          assertThat(e.statusCode()).hasValue(status);
          assertThat(e.passable()).isEqualTo(status >= 500);
          assertThat(e.getMessage()).contains("send heartbeat of e").contains("" + status)
              .contains("satellite not found").doesNotContain("s3cret");
        });
  }

  @Test
  void redirectsAreNotFollowedSoCredentialsStayWithGroundControl() throws Exception {
    server.enqueue(new MockResponse.Builder().code(307)
        .setHeader("Location", "http://elsewhere.example/satellites/sync").build());
    Registration registration = new Registration("h/satellite/satellite-state/e/state:latest",
        "https://h", "robot$e", "s3cret");
    Heartbeat heartbeat = idle("e");

    assertThatThrownBy(() -> client.heartbeat(registration, heartbeat))
        .hasMessageContaining("307");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void heartbeatWithoutARequiredSettingNamesIt() {
    assertThatThrownBy(() -> Heartbeat.builder("e").activity("idle")
        .stateReportInterval(Duration.ofSeconds(30)).lastSyncDuration(Duration.ZERO).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("heartbeat of e: createdAt not set");
    Heartbeat heartbeat = idle("e");
    assertThat(heartbeat.latestStateDigest()).isEmpty();
    assertThat(heartbeat.latestConfigDigest()).isEmpty();
    assertThat(heartbeat.cachedImages()).isEmpty();
  }

  /** A heartbeat with only the required settings. */
  private static Heartbeat idle(String name) {
    return Heartbeat.builder(name).activity("idle").stateReportInterval(Duration.ofSeconds(30))
        .createdAt(Instant.now()).lastSyncDuration(Duration.ZERO).build();
  }
}
