package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.spiffe.SpiffeGroundControlStandIn;
import dev.satellite.agent.groundcontrol.spiffe.SpiffeGroundControlStandIn.Beat;
import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import dev.satellite.agent.groundcontrol.spiffe.TestTrustDomain;
import dev.satellite.agent.groundcontrol.spiffe.WorkloadApiStandIn;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.RegistryClient;
import dev.satellite.testing.RequiresRegistry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A satellite in a SPIFFE-secured fleet, end to end: its identity from a Workload API stand-in,
 * a Ground Control stand-in with SPIFFE on (client certificates required, no tokens), and real
 * upstream (Basic auth for the robot account Ground Control hands out) and edge registries.
 */
@RequiresRegistry
class SpiffeFleetIT {
  private static final String ROBOT = "robot$satellite-edge-1";
  private static final String PASSWORD = "robot-Secret-4711";
  private static final String SATELLITE = "/satellite/region/eu/edge-1";

  @TempDir Path temp;
  private final TestTrustDomain domain = TestTrustDomain.create("example.org");
  private FleetRegistries fleet;
  private RegistryClient upstream;
  private RegistryClient edge;
  private FleetStates states;
  private WorkloadApiStandIn workloadApi;
  private SpiffeGroundControlStandIn groundControl;

  @BeforeEach
  void start() throws Exception {
    fleet = FleetRegistries.start(ROBOT, PASSWORD);
    upstream = fleet.upstream;
    edge = fleet.edge;
    states = fleet.states();
    workloadApi = fleet.closeLater(new WorkloadApiStandIn(temp.resolve("agent.sock")));
    groundControl = fleet.closeLater(new SpiffeGroundControlStandIn(domain.svid("/gc/main"),
        domain.bundle(), fleet.stateReference(), fleet.upstreamRegistry.baseUrl(), ROBOT,
        PASSWORD));
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void joinsSyncsBeatsWithItsSvidSurvivesARotationAndRestartsOnTheSavedRegistration()
      throws Exception {
    String digest = states.push("proj/app", 1, "v1");
    publishConfig();
    states.publishState("proj/app:v1");
    TestTrustDomain.Svid first = domain.svid(SATELLITE);
    workloadApi.start().issue(first);
    Path directory = temp.resolve("state");
    String expected = edge.registry() + "/proj/app:v1@" + digest;

    try (Satellite satellite = fleet(directory, options()).build()) {
      satellite.start(Duration.ofHours(1));
      Beat beat = awaitBeat("a beat listing the image, with the first SVID", b ->
          serial(b, first) && b.body().get("image_count").asInt() == 1
              && b.body().get("cached_images").get(0).get("reference").asText().equals(expected));
      assertThat(beat.spiffeId()).isEqualTo("spiffe://example.org" + SATELLITE);
      assertThat(beat.basicAuth()).as("identified by SPIFFE ID, not the robot").isFalse();
      assertThat(beat.body().get("name").asText()).isEqualTo("edge-1");

      TestTrustDomain.Svid rotated = domain.svid(SATELLITE);
      workloadApi.issue(rotated);
      awaitBeat("a beat with the rotated SVID", b -> serial(b, rotated));
      assertThat(satellite.isRunning()).isTrue();
    }
    assertThat(edge.headManifest("proj/app", "v1").get().digest().toString()).isEqualTo(digest);
    FleetStates.await("the Workload API stream closed with the satellite",
        () -> workloadApi.openStreams() == 0);
    assertThat(groundControl.registrations).containsExactly("spiffe://example.org" + SATELLITE);

    TestTrustDomain.Svid afterRestart = domain.svid(SATELLITE);
    workloadApi.issue(afterRestart);
    int fetches = workloadApi.fetches.get();
    try (Satellite restarted = fleet(directory, options()).build()) {
      SyncReport report = restarted.syncOnce();
      assertThat(report.ok()).as(report.toJson()).isTrue();
      assertThat(report.unchanged()).isEqualTo(1);
      restarted.start(Duration.ofHours(1));
      awaitBeat("a beat of the restarted satellite", b -> serial(b, afterRestart));
    }
    assertThat(workloadApi.fetches.get()).as("the identity fetched again").isGreaterThan(fetches);
    assertThat(groundControl.registrations).as("the saved registration reused").hasSize(1);
    assertThat(groundControl.tokenAttempts.get()).isZero();
  }

  @Test
  void waitsForTheWorkloadApiAtStartThenJoins() throws Exception {
    states.push("proj/app", 1, "v1");
    publishConfig();
    states.publishState("proj/app:v1");
    Thread agentStartsLate = new Thread(() -> {
      try {
        Thread.sleep(1_500);
      } catch (InterruptedException e) {
        return;
      }
      workloadApi.start().issue(domain.svid(SATELLITE));
    });
    agentStartsLate.start();

    try (Satellite satellite = fleet(temp.resolve("state"), options()).build()) {
      agentStartsLate.join();
      SyncReport report = satellite.syncOnce();
      assertThat(report.ok()).as(report.toJson()).isTrue();
    }
    assertThat(groundControl.registrations).hasSize(1);
    assertThat(edge.headManifest("proj/app", "v1")).isPresent();
  }

  @Test
  void aGroundControlWithAnotherSpiffeIdThanTheExpectedFailsTheBuildAtOnce() {
    workloadApi.start().issue(domain.svid(SATELLITE));
    SpiffeOptions options = SpiffeOptions.builder().socket(workloadApi.address())
        .expectedServerId("spiffe://example.org/gc/other").build();
    long started = System.nanoTime();

    assertThatThrownBy(() -> fleet(temp.resolve("state"), options)
        .registrationPatience(Duration.ofMinutes(5)).build())
        .isInstanceOf(GroundControlException.class)
        .hasMessageContaining("presented SPIFFE ID spiffe://example.org/gc/main")
        .hasMessageContaining("not the expected spiffe://example.org/gc/other");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("not retried for the registration patience").isLessThan(Duration.ofMinutes(1));
    assertThat(groundControl.registrations).isEmpty();
  }

  @Test
  void aTokenAndASpiffeIdentityExcludeEachOther() {
    assertThatThrownBy(() -> Satellite.builder().groundControl(groundControl.url(), "t0ken")
        .spiffe(options()).edge(edge).stateDirectory(temp.resolve("state")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exclude each other");
  }

  private SpiffeOptions options() {
    return SpiffeOptions.builder().socket(workloadApi.address())
        .svidWait(Duration.ofSeconds(30)).build();
  }

  private Satellite.Builder fleet(Path directory, SpiffeOptions options) {
    return Satellite.builder().groundControl(groundControl.url()).spiffe(options).edge(edge)
        .stateDirectory(directory).registrationPatience(Duration.ofSeconds(5));
  }

  private static boolean serial(Beat beat, TestTrustDomain.Svid svid) {
    BigInteger expected = svid.certificate().getSerialNumber();
    return beat.certificateSerial().equals(expected);
  }

  /** The config state: passes and heartbeats a second apart. */
  private void publishConfig() {
    states.publishConfig("{\"state_config\": {}, \"app_config\":"
        + " {\"state_replication_interval\": \"@every 00h00m01s\", \"heartbeat_interval\":"
        + " \"@every 00h00m01s\"}, \"zot_config\": {}}");
  }

  private Beat awaitBeat(String what, Predicate<Beat> wanted) throws InterruptedException {
    FleetStates.await(what + ", got " + groundControl.beats,
        () -> groundControl.beats.stream().anyMatch(wanted));
    return groundControl.beats.stream().filter(wanted).findFirst().orElseThrow();
  }
}
