package dev.satellite.agent.groundcontrol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.HeartbeatAnswer;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heartbeats without a registry (Ground Control is a MockWebServer): a standby (another agent
 * of the site holds the leader lease) sends none; each reports the pass in progress or the last
 * one and the config applied; the runtime mirror results go in heartbeats until one is accepted;
 * Ground Control's answers go to the robot account.
 */
class GroundControlLinkTest {
  @TempDir Path temp;
  private final MockWebServer groundControl = new MockWebServer();
  private final AtomicBoolean leading = new AtomicBoolean();
  private RegistryClient edge;
  private GroundControlLink link;
  private GroundControlClient client;

  @BeforeEach
  void start() throws Exception {
    groundControl.start();
    edge = RegistryClient.builder("http://127.0.0.1:5000").build();
    client =
        GroundControlClient.builder("http://" + groundControl.getHostName() + ":"
            + groundControl.getPort()).build();
    Registration registration = new Registration(
        "harbor.example.com/satellite/satellite-state/edge-1/state:latest",
        "https://harbor.example.com", "robot$edge-1", "robot-secret");
    link = new GroundControlLink(client, GroundControlLink.Robot.fixed(registration), target(),
        new UsageFigures(temp), Checkpoint.EMPTY, Clock.systemUTC(), new FleetListener() {});
  }

  private GroundControlLink.Target target() {
    return new GroundControlLink.Target() {
      @Override
      public RegistryClient edge() {
        return edge;
      }

      @Override
      public Optional<String> satelliteStateDigest() {
        return Optional.empty();
      }

      @Override
      public boolean leading() {
        return leading.get();
      }
    };
  }

  @AfterEach
  void stop() {
    link.close();
    client.close();
    edge.close();
    groundControl.close();
  }

  @Test
  void aStandbySendsNoHeartbeatAndALeaderDoes() throws Exception {
    link.beat();
    assertThat(groundControl.getRequestCount()).as("standby").isZero();

    leading.set(true);
    groundControl.enqueue(new MockResponse.Builder().code(200).build());
    link.beat();
    assertThat(groundControl.getRequestCount()).isEqualTo(1);
    assertThat(groundControl.takeRequest().getTarget()).isEqualTo("/satellites/sync");
  }

  @Test
  void theRuntimeMirrorResultsAreTheActivityUntilGroundControlAcceptsAHeartbeat()
      throws Exception {
    leading.set(true);
    link.reportOnce("cri_fallback_configured: containerd(ok)");
    groundControl.enqueue(new MockResponse.Builder().code(400).body("{}").build());
    groundControl.enqueue(new MockResponse.Builder().code(200).build());
    groundControl.enqueue(new MockResponse.Builder().code(200).build());

    link.beat();
    link.beat();
    link.beat();

    assertThat(activity()).as("refused").isEqualTo("cri_fallback_configured: containerd(ok)");
    assertThat(activity()).as("accepted").isEqualTo("cri_fallback_configured: containerd(ok)");
    assertThat(activity()).as("after").isEqualTo("starting");
  }

  @Test
  void eachHeartbeatReportsThePassInProgressOrTheLastOneAndTheConfigApplied() throws Exception {
    leading.set(true);
    SyncListener passes = link.listener(null);
    for (int i = 0; i < 4; i++) {
      groundControl.enqueue(new MockResponse.Builder().code(200).build());
    }
    SatelliteConfig noMetrics = SatelliteConfig.read(("{\"app_config\": {\"heartbeat_interval\":"
        + " \"@every 00h00m07s\", \"metrics\": {\"collect_cpu\": false, \"collect_memory\":"
        + " false, \"collect_storage\": false}}}").getBytes(StandardCharsets.UTF_8),
        SatelliteConfig.defaults()).config();

    link.beat();
    passes.syncStarted();
    link.beat();
    passes.syncFinished(SyncReport.builder(Instant.now(), Duration.ofMillis(1500))
        .checkpointSaved(true).build());
    link.configApplied(noMetrics);
    link.beat();
    passes.syncFinished(SyncReport.builder(Instant.now(), Duration.ofMillis(10))
        .checkpointSaved(true)
        .errors(List.of("group g1 could not be read")).build());
    link.beat();

    JsonNode starting = body();
    assertThat(starting.get("activity").asText()).isEqualTo("starting");
    assertThat(starting.get("state_report_interval").asText()).as("the default 30 s")
        .isEqualTo("@every 00h00m30s");
    assertThat(body().get("activity").asText()).isEqualTo("syncing");
    JsonNode idle = body();
    assertThat(idle.get("activity").asText()).isEqualTo("idle: last sync complete");
    assertThat(idle.get("state_report_interval").asText()).as("the config's interval")
        .isEqualTo("@every 00h00m07s");
    assertThat(idle.get("last_sync_duration_ms").asLong()).isEqualTo(1500);
    assertThat(idle.get("memory_used_bytes").asLong()).as("metrics off").isZero();
    assertThat(idle.get("cpu_percent").asDouble()).isZero();
    assertThat(body().get("activity").asText())
        .isEqualTo("idle: last sync incomplete (0 failed, 1 errors)");
  }

  @Test
  void aRefusedHeartbeatIsToldToTheRobotAndTheNextOneIsSentAll() throws Exception {
    leading.set(true);
    List<String> told = new CopyOnWriteArrayList<>();
    Registration registration = new Registration(
        "harbor.example.com/satellite/satellite-state/edge-1/state:latest",
        "https://harbor.example.com", "robot$edge-1", "robot-secret");
    GroundControlLink robotLink = new GroundControlLink(client, new GroundControlLink.Robot() {
      @Override
      public Registration registration() {
        return registration;
      }

      @Override
      public void accepted(HeartbeatAnswer answer) {
        told.add("accepted " + answer.events());
      }

      @Override
      public void refused(GroundControlException failure) {
        told.add("refused " + failure.statusCode().orElse(-1));
      }
    }, target(), new UsageFigures(temp), Checkpoint.EMPTY, Clock.systemUTC(),
        new FleetListener() {});
    groundControl.enqueue(new MockResponse.Builder().code(401).body("{}").build());
    groundControl.enqueue(new MockResponse.Builder().code(200)
        .body("{\"events\": [\"refresh_credentials\"]}").build());

    robotLink.beat();
    robotLink.beat();

    assertThat(told).containsExactly("refused 401", "accepted [refresh_credentials]");
    assertThat(groundControl.getRequestCount()).isEqualTo(2);
  }

  private JsonNode body() throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(groundControl.takeRequest().getBody().utf8());
  }

  private String activity() throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(groundControl.takeRequest().getBody().utf8()).get("activity").asText();
  }
}
