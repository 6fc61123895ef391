package dev.satellite.agent.groundcontrol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.core.Checkpoint;
import dev.satellite.registry.RegistryClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby (another agent of the site holds the leader lease) sends no heartbeat; the runtime
 * mirror results go in heartbeats until one is accepted.
 */
class GroundControlLinkLeadingTest {
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
    link = new GroundControlLink(client, GroundControlLink.Robot.fixed(registration),
        new GroundControlLink.Target() {
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
    }, new UsageFigures(temp), Checkpoint.EMPTY, Clock.systemUTC(), new FleetListener() {});
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

  private String activity() throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(groundControl.takeRequest().getBody().utf8()).get("activity").asText();
  }
}
