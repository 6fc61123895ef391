package dev.satellite.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.agent.audit.AuditLog;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.RegistrationRefusedException;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile;
import dev.satellite.agent.groundcontrol.internal.SavedConfigFile;
import dev.satellite.agent.metrics.SatelliteMetrics;
import dev.satellite.agent.runtime.RegistryFallback;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublication;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A satellite in a Harbor Satellite fleet, end to end: real upstream (Basic auth for the robot
 * account Ground Control hands out) and edge registries, and a Ground Control stand-in.
 */
@RequiresRegistry
class GroundControlFleetIT {
  private static final String ROBOT = "robot$satellite-edge-1";
  private static final String PASSWORD = "robot-Secret-4711";
  private static final String TOKEN = "ztr-token-0c5e";
  /** Harbor as Ground Control publishes it, a name this node cannot resolve. */
  private static final String INTERNAL_HARBOR = "http://harbor.internal.invalid:8080";

  @TempDir Path temp;
  private FleetRegistries fleet;
  private RegistryClient upstream;
  private RegistryClient edge;
  private StatePublisher publisher;
  private GroundControlStandIn groundControl;

  @BeforeEach
  void start() throws Exception {
    fleet = FleetRegistries.start(ROBOT, PASSWORD);
    upstream = fleet.upstream;
    edge = fleet.edge;
    publisher = fleet.publisher;
    groundControl = fleet.closeLater(new GroundControlStandIn(TOKEN, fleet.stateReference(),
        fleet.upstreamRegistry.baseUrl(), ROBOT, PASSWORD));
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void registersSyncsAndHeartbeatsListTheCachedImagesThenRestartsWithoutTheToken()
      throws Exception {
    String digest = push("proj/app", 1, "v1");
    String config = publishConfig("@every 00h00m01s", "@every 00h00m01s", "");
    publishState(config, "proj/app:v1");
    Path directory = temp.resolve("state");

    try (Satellite satellite = fleet(directory, TOKEN).build()) {
      satellite.start(Duration.ofHours(1));
      String expected = edge.registry() + "/proj/app:v1@" + digest;
      JsonNode beat = awaitBeat(b -> b.get("image_count").asInt() == 1
          && b.get("cached_images").get(0).get("reference").asText().equals(expected));
      assertThat(beat.get("name").asText()).isEqualTo("edge-1");
      assertThat(beat.get("cached_images").get(0).get("size_bytes").asLong()).isGreaterThan(0);
      assertThat(beat.get("latest_state_digest").asText()).startsWith("sha256:");
      assertThat(beat.get("latest_config_digest").asText()).isEqualTo(config);
      assertThat(beat.get("state_report_interval").asText()).isEqualTo("@every 00h00m01s");
      assertThat(beat.get("memory_used_bytes").asLong()).isZero();
    }
    assertThat(edge.headManifest("proj/app", "v1")).isPresent();
    Path registration = directory.resolve(RegistrationFile.NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(registration)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(registration)).doesNotContain(TOKEN);

    try (Satellite restarted = fleet(directory, null).build()) {
      SyncReport report = restarted.syncOnce();
      assertThat(report.ok()).as(report.toJson()).isTrue();
      assertThat(report.unchanged()).isEqualTo(1);
    }
    assertThat(groundControl.registrations.get()).as("the token was asked for once").isEqualTo(1);
  }

  @Test
  void metricsCountTheRegistrationHeartbeatsAndGroundControlRequests() throws Exception {
    push("proj/app", 1, "v1");
    String config = publishConfig("@every 00h00m01s", "@every 00h00m01s", "");
    publishState(config, "proj/app:v1");
    SatelliteMetrics metrics = new SatelliteMetrics();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    List<String> configsApplied = new java.util.concurrent.CopyOnWriteArrayList<>();

    try (Satellite satellite = fleet(temp.resolve("state"), TOKEN).metrics(metrics)
        .fleetListener(new FleetListener() {
          @Override
          public void configApplied(String digest) {
            configsApplied.add(digest);
          }
        }).build()) {
      assertThat(registry.get("satellite.registered").gauge().value()).isEqualTo(1);
      satellite.start(Duration.ofHours(1));
      await("two heartbeats counted", () -> registry.get("satellite.heartbeats")
          .tag("result", "delivered").functionCounter().count() >= 2);
    }

    assertThat(configsApplied).first().isEqualTo(config);
    assertThat(registry.get("satellite.http.requests").tags("side", "ground-control",
        "status", "2xx").functionTimer().count()).isGreaterThanOrEqualTo(3);
    assertThat(registry.get("satellite.http.requests").tags("side", "upstream", "status", "2xx")
        .functionTimer().count()).isGreaterThan(0);
    assertThat(registry.get("satellite.heartbeats").tag("result", "failed").functionCounter()
        .count()).isZero();
  }

  @Test
  void theAuditLogRecordsAWholeFleetScenarioWithoutASecret() throws Exception {
    String edgePassword = "edge-Secret-0815";
    String app = push("proj/app", 1, "v1");
    String db = push("proj/db", 2, "v1");
    String first = publishConfig("@every 01h00m00s", "@every 01h00m00s", "");
    publishState(first, "proj/app:v1", "proj/db:v1");
    Path auditFile = temp.resolve("audit/audit.jsonl");
    Path node = temp.resolve("node");
    Files.createDirectories(node.resolve("etc/rancher/k3s"));

    try (AuditLog audit = AuditLog.open(auditFile, 64 * 1024, 3)) {
      try (Satellite satellite = fleet(temp.resolve("state"), TOKEN).auditLog(audit)
          .satelliteConfigListener(RegistryFallback.toConfiguredEdge(node).reportingTo(audit))
          .build()) {
        assertThat(satellite.syncOnce().ok()).isTrue();
        publishState(first, "proj/app:v1");
        assertThat(satellite.syncOnce().ok()).isTrue();
        String second = publisher.publishConfig("edge-1", ("{\"state_config\": {}, \"app_config\":"
            + " {\"local_registry\": {\"url\": \"" + fleet.edgeRegistry.baseUrl() + "\", \"username\":"
            + " \"edge-user\", \"password\": \"" + edgePassword + "\"}, \"registry_fallback\":"
            + " {\"enabled\": true, \"registries\": [\"docker.io\"], \"runtimes\": [\"k3s\"]}}}")
            .getBytes(UTF_8)).digest().toString();
        assertThat(satellite.syncOnce().ok()).isTrue();

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(auditFile)) {
          events.add(new ObjectMapper().readTree(line));
        }
        assertThat(events).extracting(e -> e.get("event").asText()).containsSubsequence(
            "registered", "config_applied", "image_placed", "image_placed", "image_pruned",
            "runtime_file_changed", "config_applied");
        assertThat(events).filteredOn(e -> e.get("event").asText().equals("config_applied"))
            .extracting(e -> e.get("digest").asText())
            .as("read at start, applied by the first pass, then the new one")
            .containsExactly(first, first, second);
        assertThat(events).filteredOn(e -> e.get("event").asText().equals("image_placed"))
            .extracting(e -> e.get("repository").asText() + ":" + e.get("tag").asText() + "@"
                + e.get("digest").asText())
            .containsExactlyInAnyOrder("proj/app:v1@" + app, "proj/db:v1@" + db);
        assertThat(events).filteredOn(e -> e.get("event").asText().equals("image_pruned"))
            .singleElement().satisfies(e -> assertThat(e.get("repository").asText() + "@"
                + e.get("digest").asText()).isEqualTo("proj/db@" + db));
        assertThat(events).filteredOn(e -> e.get("event").asText().equals("registered"))
            .singleElement().satisfies(e -> {
              assertThat(e.get("satellite").asText()).isEqualTo("edge-1");
              assertThat(e.get("username").asText()).isEqualTo(ROBOT);
            });
        assertThat(events).allSatisfy(e -> assertThat(e.get("time").asText()).isNotBlank());
      }
    }
    assertThat(Files.readString(node.resolve("etc/rancher/k3s/registries.yaml")))
        .as("the runtime file holds the edge password").contains(edgePassword);
    String written = Files.readString(auditFile);
    for (String secret : List.of(TOKEN, PASSWORD, edgePassword)) {
      assertThat(written).as("no secret in the audit log").doesNotContain(secret);
    }
  }

  @Test
  void configChangesOfTheReplicationAndHeartbeatIntervalsTakeEffectWithoutRestart()
      throws Exception {
    push("proj/app", 1, "v1");
    publishState(publishConfig("@every 00h00m01s", "@every 01h00m00s", ""), "proj/app:v1");
    AtomicInteger passes = new AtomicInteger();
    SyncListener counter = new SyncListener() {
      @Override
      public void syncFinished(SyncReport report) {
        passes.incrementAndGet();
      }
    };

    try (Satellite satellite = fleet(temp.resolve("state"), TOKEN).listener(counter).build()) {
      satellite.start(Duration.ofHours(1));
      await("passes 1 s apart, as the config says", () -> passes.get() >= 3);
      assertThat(groundControl.heartbeats).as("one beat at start, the next in an hour").hasSize(1);

      publishConfig("@every 01h00m00s", "@every 00h00m01s", "");
      await("beats 1 s apart once a pass read the new config",
          () -> groundControl.heartbeats.size() >= 4);
      int settled = passes.get();
      Thread.sleep(3_000);
      assertThat(passes.get()).as("passes an hour apart now").isLessThanOrEqualTo(settled + 1);
    }
  }

  @Test
  void groundControlDownDoesNotStopSyncing() throws Exception {
    push("proj/app", 1, "v1");
    String config = publishConfig("@every 00h00m01s", "@every 00h00m01s", "");
    publishState(config, "proj/app:v1");

    try (Satellite satellite = fleet(temp.resolve("state"), TOKEN).build()) {
      groundControl.close();
      satellite.start(Duration.ofHours(1));
      String moved = push("proj/app", 2, "v2");
      publishState(config, "proj/app:v1", "proj/app:v2");
      await("the new image at the edge although every heartbeat fails",
          () -> edge.headManifest("proj/app", "v2").isPresent());
      assertThat(edge.headManifest("proj/app", "v2").get().digest().toString()).isEqualTo(moved);
    }
  }

  @Test
  void edgeNamedByTheConfigIsUsedWhenNoneIsGiven() throws Exception {
    String digest = push("proj/app", 1, "v1");
    publishState(publishConfig("@every 00h00m30s", "@every 00h00m30s", fleet.edgeRegistry.baseUrl()),
        "proj/app:v1");

    try (Satellite satellite = Satellite.builder().groundControl(groundControl.url(), TOKEN)
        .upstreamTls(dev.satellite.registry.TlsOptions.systemDefault())
        .stateDirectory(temp.resolve("state")).build()) {
      SyncReport report = satellite.syncOnce();
      assertThat(report.ok()).as(report.toJson()).isTrue();
    }
    assertThat(edge.headManifest("proj/app", "v1").get().digest().toString()).isEqualTo(digest);
  }

  @Test
  void configNamingAnotherEdgeWhileRunningMovesTheImagesThere() throws Exception {
    String digest = push("proj/app", 1, "v1");
    publishState(publishConfig("@every 00h00m01s", "@every 01h00m00s", fleet.edgeRegistry.baseUrl()),
        "proj/app:v1");
    DistributionRegistry otherEdge = DistributionRegistry.builder().start();
    fleet.closeLater(otherEdge);

    try (Satellite satellite = fleet(temp.resolve("state"), TOKEN).build();
        RegistryClient other = RegistryClient.builder(otherEdge.baseUrl()).build()) {
      satellite.start(Duration.ofHours(1));
      await("the image at the first edge", () -> edge.headManifest("proj/app", "v1").isPresent());

      publishConfig("@every 00h00m01s", "@every 01h00m00s", otherEdge.baseUrl());

      await("the image at the edge the new config names, although the checkpoint records it in"
          + " place", () -> other.headManifest("proj/app", "v1").isPresent());
      assertThat(other.headManifest("proj/app", "v1").get().digest().toString())
          .isEqualTo(digest);
    }
  }

  @Test
  void harborRegistryUrlReachesHarborThatGroundControlPublishesUnderAnInternalName()
      throws Exception {
    syncsThroughHarborPublishedAs(INTERNAL_HARBOR,
        builder -> builder.harborRegistryUrl(fleet.upstreamRegistry.baseUrl()));
  }

  @Test
  void hostOverrideWorksInAFleetToo() throws Exception {
    syncsThroughHarborPublishedAs(INTERNAL_HARBOR, builder -> builder.hostOverride(
        "harbor.internal.invalid:8080", fleet.upstreamRegistry.hostPort()));
  }

  /** One pass through a Ground Control publishing {@code harborUrl}, with {@code reach} set. */
  private void syncsThroughHarborPublishedAs(String harborUrl,
      java.util.function.UnaryOperator<Satellite.Builder> reach) throws Exception {
    String digest = push("proj/app", 1, "v1");
    GroundControlStandIn internal = publishedAs(harborUrl);

    try (Satellite satellite = reach.apply(Satellite.builder()
        .groundControl(internal.url(), TOKEN).edge(edge).stateDirectory(temp.resolve("state")))
        .build()) {
      SyncReport report = satellite.syncOnce();
      assertThat(report.ok()).as(report.toJson()).isTrue();
    }
    assertThat(edge.headManifest("proj/app", "v1").get().digest().toString()).isEqualTo(digest);
  }

  @Test
  void waitsOutAGroundControlThatComesUpThirtySecondsLate() throws Exception {
    String digest = push("proj/app", 1, "v1");
    publishState(publishConfig("@every 00h00m30s", "@every 00h00m30s", ""), "proj/app:v1");
    GroundControlStandIn late = GroundControlStandIn.notYetUp(TOKEN,
        fleet.upstreamRegistry.baseUrl() + "/satellite/satellite-state/edge-1/state:latest",
        fleet.upstreamRegistry.baseUrl(), ROBOT, PASSWORD);
    fleet.closeLater(late);
    Thread upLater = new Thread(() -> {
      try {
        Thread.sleep(30_000);
        late.startLate();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "ground-control-comes-up-late");
    upLater.start();
    long started = System.nanoTime();

    try (Satellite satellite = Satellite.builder().groundControl(late.url(), TOKEN).edge(edge)
        .registrationInterval(Duration.ofSeconds(2)).stateDirectory(temp.resolve("state"))
        .build()) {
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
      SyncReport report = satellite.syncOnce();
      assertThat(report.ok()).as(report.toJson()).isTrue();
    }
    upLater.join();
    assertThat(late.registrations.get()).isEqualTo(1);
    assertThat(edge.headManifest("proj/app", "v1").get().digest().toString()).isEqualTo(digest);
  }

  @Test
  void heartbeatsEverySecondStayUnderGroundControlsRateLimit() throws Exception {
    push("proj/app", 1, "v1");
    publishState(publishConfig("@every 01h00m00s", "@every 00h00m01s", ""), "proj/app:v1");

    try (Satellite satellite = fleet(temp.resolve("state"), TOKEN).build()) {
      satellite.start(Duration.ofHours(1));
      Thread.sleep(15_000);
    }
    assertThat(groundControl.rateLimited.get()).as("429 answers").isZero();
    assertThat(groundControl.acceptedAt).as("registration and beats within the first minute")
        .hasSize(10);
  }

  @Test
  void bootsWithGroundControlAndHarborDownFromItsSavedConfigAndServesFromItsEdge()
      throws Exception {
    String digest = push("proj/app", 1, "v1");
    publishState(publishConfig("@every 00h00m30s", "@every 00h00m30s", fleet.edgeRegistry.baseUrl()),
        "proj/app:v1");
    Path directory = temp.resolve("state");
    try (Satellite satellite = Satellite.builder().groundControl(groundControl.url(), TOKEN)
        .stateDirectory(directory).build()) {
      assertThat(satellite.syncOnce().ok()).isTrue();
    }
    Path saved = directory.resolve(SavedConfigFile.NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
        .isEqualTo("rw-------");

    groundControl.close();
    fleet.upstreamRegistry.close();

    try (Satellite offline = Satellite.builder().groundControl(groundControl.url(), null)
        .stateDirectory(directory).build()) {
      SyncReport report = offline.syncOnce();
      assertThat(report.ok()).as("Harbor is down").isFalse();
    }
    assertThat(edge.headManifest("proj/app", "v1").get().digest().toString())
        .as("the edge the saved config names still serves the image").isEqualTo(digest);
  }

  @Test
  void aSatelliteWithoutGroupsHasNoSatelliteStateAndThatIsNoFailure() throws Exception {
    GroundControlStandIn noGroups = new GroundControlStandIn(TOKEN,
        fleet.upstreamRegistry.baseUrl() + "/satellite/satellite-state/edge-9/state:latest",
        fleet.upstreamRegistry.baseUrl(), ROBOT, PASSWORD);
    fleet.closeLater(noGroups);

    try (Satellite satellite = Satellite.builder().groundControl(noGroups.url(), TOKEN)
        .edge(edge).stateDirectory(temp.resolve("state")).build()) {
      SyncReport report = satellite.syncOnce();
      assertThat(report.ok()).as(report.toJson()).isTrue();
      assertThat(report.replicated()).isZero();
      assertThat(report.groups()).isEmpty();
    }
  }

  @Test
  void refusedTokenFailsTheBuildNamingGroundControlsAnswerAndNotTheToken() {
    assertThatThrownBy(() -> fleet(temp.resolve("state"), "not-the-token").build())
        .isInstanceOf(RegistrationRefusedException.class)
        .hasMessageContaining("400")
        .hasMessageContaining("Error: Invalid Token")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-token"));
  }

  @Test
  void upstreamAndGroundControlExcludeEachOther() {
    assertThatThrownBy(() -> Satellite.builder().upstream(upstream, "h/s")
        .groundControl(groundControl.url(), TOKEN).edge(edge)
        .stateDirectory(temp.resolve("state")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exclude each other");
  }

  /**
   * A Ground Control that publishes Harbor as {@code harborUrl}, with the satellite, group and
   * config states on that host (the group's images in the real upstream).
   */
  private GroundControlStandIn publishedAs(String harborUrl) throws Exception {
    GroundControlStandIn standIn = new GroundControlStandIn(TOKEN,
        harborUrl + "/satellite/satellite-state/edge-1/state:latest", harborUrl, ROBOT, PASSWORD);
    fleet.closeLater(standIn);
    publishConfig("@every 00h00m30s", "@every 00h00m30s", "");
    publisher.publishGroup("g1", harborUrl,
        List.of(new StateImage("proj/app", List.of("v1"), Optional.empty())));
    publisher.publishSatellite("edge-1",
        List.of(harborUrl + "/satellite/group-state/g1/state:latest"),
        Optional.of(harborUrl + "/satellite/config-state/edge-1/state:latest"));
    return standIn;
  }

  private Satellite.Builder fleet(Path directory, String token) {
    return Satellite.builder().groundControl(groundControl.url(), token).edge(edge)
        .stateDirectory(directory);
  }

  private String push(String repository, long seed, String tag) {
    TestImage image = TestImages.image(Format.OCI, seed, TestBlob.random(seed, 64 * 1024));
    return fleet.upstreamRegistry.push(repository, image, tag);
  }

  /** Publishes the config state; returns its digest. */
  private String publishConfig(String replication, String heartbeat, String localRegistry) {
    String json = "{\"state_config\": {}, \"app_config\": {\"state_replication_interval\": \""
        + replication + "\", \"heartbeat_interval\": \"" + heartbeat + "\""
        + (localRegistry.isEmpty() ? ""
            : ", \"bring_own_registry\": true, \"local_registry\": {\"url\": \""
                + localRegistry + "\"}")
        + "}, \"zot_config\": {}}";
    StatePublication publication = publisher.publishConfig("edge-1", json.getBytes(UTF_8));
    return publication.digest().toString();
  }

  private void publishState(String configDigest, String... images) {
    List<StateImage> desired = new ArrayList<>();
    for (String image : images) {
      String[] parts = image.split(":");
      desired.add(new StateImage(parts[0], List.of(parts[1]), Optional.empty()));
    }
    String group = publisher.publishGroup("g1", fleet.upstreamRegistry.baseUrl(), desired).reference();
    String config = fleet.upstreamRegistry.baseUrl() + "/satellite/config-state/edge-1/state:latest";
    publisher.publishSatellite("edge-1", List.of(group), Optional.of(config));
  }

  private JsonNode awaitBeat(java.util.function.Predicate<JsonNode> wanted)
      throws InterruptedException {
    await("a heartbeat as expected, got " + groundControl.heartbeats,
        () -> groundControl.heartbeats.stream().anyMatch(wanted));
    return groundControl.heartbeats.stream().filter(wanted).findFirst().orElseThrow();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(100);
    }
  }
}
