package dev.satellite.agent;

import static dev.satellite.agent.FleetStates.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.agent.groundcontrol.CredentialState;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile;
import dev.satellite.agent.groundcontrol.internal.TokenFile;
import dev.satellite.registry.RegistryClient;
import dev.satellite.testing.AccessLog;
import dev.satellite.testing.RequiresRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet member outlives its robot account, end to end: a real upstream registry whose htpasswd
 * Ground Control's stand-in rewrites as Harbor changes a robot's secret (refresh, expiry), a real
 * edge, and the satellite running its loop. It survives by refresh, and separately by a new token
 * put in its state directory, keeping its edge and checkpoint: no image blob is read upstream
 * twice.
 */
@RequiresRegistry
class CredentialLifecycleIT {
  private static final String ROBOT = "robot$satellite-edge-1";
  private static final String PASSWORD = "robot-Secret-4711";
  private static final String TOKEN = "ztr-token-0c5e";

  @TempDir Path temp;
  private FleetRegistries fleet;
  private RegistryClient edge;
  private FleetStates states;
  private GroundControlStandIn groundControl;

  @BeforeEach
  void start() throws Exception {
    // the publisher is Ground Control's side: it always knows the robot's secret of the moment
    fleet = FleetRegistries.startFollowingRotation(ROBOT, PASSWORD);
    edge = fleet.edge;
    states = fleet.states();
    groundControl = fleet.closeLater(new GroundControlStandIn(TOKEN, fleet.stateReference(),
        fleet.upstreamRegistry.baseUrl(), ROBOT, PASSWORD));
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void survivesTheRobotsExpiryByRefreshingItsSecretWithoutARestart() throws Exception {
    // 30 s robots, 8 s heartbeats: Ground Control asks for a refresh 16 s before expiry, so the
    // satellite refreshes about every 16 s, within Ground Control's 10 requests a minute
    groundControl.robotLife(Duration.ofSeconds(30), fleet.upstreamRegistry);
    states.push("proj/app", 1, "v1");
    states.publishConfig(config("00h00m01s", "00h00m08s"));
    states.publishState("proj/app:v1");
    Path directory = temp.resolve("state");

    try (Satellite satellite = fleet(directory).build()) {
      satellite.start(Duration.ofSeconds(1));
      await("v1 at the edge", () -> edge.headManifest("proj/app", "v1").isPresent());
      long firstExpiry = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      await("two refreshes, past the first secret's expiry", Duration.ofSeconds(60),
          () -> groundControl.refreshes.get() >= 2 && System.nanoTime() > firstExpiry);
      states.push("proj/app", 2, "v2");
      states.publishState("proj/app:v1", "proj/app:v2");
      await("v2 at the edge, pulled with the refreshed secret",
          () -> edge.headManifest("proj/app", "v2").isPresent());
    }

    assertThat(groundControl.expired()).as("the robot never expired").isFalse();
    assertThat(groundControl.refusedHeartbeats.get()).isZero();
    Path registration = directory.resolve(RegistrationFile.NAME);
    assertThat(Files.readString(registration)).as("the refreshed secret is saved")
        .contains(groundControl.password()).doesNotContain(PASSWORD);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(registration)))
        .isEqualTo("rw-------");
    CredentialState credentials = SatelliteStatus.read(directory).credentials().orElseThrow();
    assertThat(credentials.refused()).isFalse();
    assertThat(credentials.refreshedAt()).isPresent();
    assertEachBlobReadUpstreamOnce(4);
  }

  @Test
  void survivesAnExpiredRobotByANewTokenInTheStateDirectoryKeepingTheEdge() throws Exception {
    // a Ground Control without the refresh route: the robot expires, Harbor and Ground Control
    // refuse it, and only a new token gets the satellite going again
    groundControl.withoutRefresh().robotLife(Duration.ofSeconds(6), fleet.upstreamRegistry);
    states.push("proj/app", 1, "v1");
    states.publishConfig(config("00h00m01s", "00h00m02s"));
    states.publishState("proj/app:v1");
    Path directory = temp.resolve("state");
    Path tokenFile = directory.resolve(TokenFile.NAME);

    try (Satellite satellite = fleet(directory).build()) {
      satellite.start(Duration.ofSeconds(1));
      await("v1 at the edge", () -> edge.headManifest("proj/app", "v1").isPresent());
      await("the robot expired", groundControl::expired);
      await("Harbor and Ground Control refusing the robot, reported",
          () -> credentials(directory).filter(c -> c.harborRefuses() && c.groundControlRefuses())
              .isPresent());
      assertThat(edge.headManifest("proj/app", "v1")).as("the edge keeps its images").isPresent();

      groundControl.robotLife(Duration.ofHours(1), fleet.upstreamRegistry);
      groundControl.issueToken("ztr-token-2nd");
      Files.writeString(tokenFile, "ztr-token-2nd\n");
      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
      await("a token file others may read refused, named",
          () -> credentials(directory).flatMap(CredentialState::problem)
              .filter(p -> p.contains(tokenFile.toString()) && p.contains("chmod 600"))
              .isPresent());
      assertThat(tokenFile).exists();

      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
      await("registered again with the token, which is used up",
          () -> !Files.exists(tokenFile) && !groundControl.expired());
      states.push("proj/app", 2, "v2");
      states.publishState("proj/app:v1", "proj/app:v2");
      await("v2 at the edge, pulled with the new registration's secret",
          () -> edge.headManifest("proj/app", "v2").isPresent());
      await("accepted again, reported", () -> credentials(directory)
          .filter(c -> !c.refused()).isPresent());
    }

    Path registration = directory.resolve(RegistrationFile.NAME);
    assertThat(Files.readString(registration)).contains(groundControl.password())
        .doesNotContain("ztr-token-2nd");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(registration)))
        .isEqualTo("rw-------");
    assertEachBlobReadUpstreamOnce(4);
  }

  private Satellite.Builder fleet(Path directory) {
    return Satellite.builder().groundControl(groundControl.url(), TOKEN).edge(edge)
        .stateDirectory(directory);
  }

  private static Optional<CredentialState> credentials(Path directory) {
    return SatelliteStatus.read(directory).credentials();
  }

  /** Each image blob of proj/app was read from the upstream once: nothing copied twice. */
  private void assertEachBlobReadUpstreamOnce(int blobs) {
    Map<String, Long> reads = fleet.upstreamRegistry.requests().stream()
        .filter(e -> e.isBlobGet() && e.status() == 200 && e.inRepositoryUnder("proj/app/"))
        .collect(Collectors.groupingBy(AccessLog.Entry::path, Collectors.counting()));
    assertThat(reads).hasSize(blobs);
    assertThat(reads.values()).allMatch(count -> count == 1, "read once");
  }

  private static String config(String replication, String heartbeat) {
    return "{\"state_config\": {}, \"app_config\": {\"state_replication_interval\": \"@every "
        + replication + "\", \"heartbeat_interval\": \"@every " + heartbeat + "\"}}";
  }
}
