package dev.satellite.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.agent.config.LocalConfig;
import dev.satellite.agent.groundcontrol.GoConfigImport;
import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.agent.runtime.RuntimeMirrors;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity with the Go satellite, end to end against real registries and a Ground Control stand-in
 * that takes configs as Ground Control does (fields it does not know dropped): the settings it
 * strips come from the local config file, an edge given is kept unless the operator brings the
 * config's registry, a Go node's config.json moves over without a token, and the first heartbeat
 * carries the runtime mirror results.
 */
@RequiresRegistry
class GoSatelliteParityIT {
  private static final String ROBOT = "robot$satellite-edge-1";
  private static final String PASSWORD = "robot-Secret-0815";
  private static final String TOKEN = "ztr-token-go-parity";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private FleetRegistries fleet;
  private RegistryClient upstream;
  private RegistryClient edge;
  private StatePublisher publisher;
  private GroundControlStandIn groundControl;
  private final OkHttpClient http = new OkHttpClient();

  @BeforeEach
  void start() throws Exception {
    fleet = FleetRegistries.start(ROBOT, PASSWORD);
    upstream = fleet.upstream;
    edge = fleet.edge;
    publisher = fleet.publisher;
    groundControl = fleet.closeLater(new GroundControlStandIn(TOKEN, stateReference(),
        fleet.upstreamRegistry.baseUrl(), ROBOT, PASSWORD));
    groundControl.acceptConfigs(publisher);
  }

  @AfterEach
  void stop() {
    fleet.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Test
  void groundControlStripsTheLinkSettingsSoTheyComeFromTheLocalConfigFile() throws Exception {
    publishDesired("proj/app");
    assertThat(createConfig("""
        {"app_config": {"state_replication_interval": "@every 00h00m30s",
                        "max_bytes_per_pass": 1, "sync_windows": ["02:00-03:00"],
                        "something_new": true}}""")).isEqualTo(201);
    JsonNode kept = groundControl.configs().config("edge-1");
    assertThat(kept.get("app_config").has("max_bytes_per_pass")).as(kept.toString()).isFalse();
    assertThat(kept.get("app_config").has("sync_windows")).isFalse();
    assertThat(kept.get("app_config").has("something_new")).isFalse();
    assertThat(kept.get("app_config").get("state_replication_interval").asText())
        .isEqualTo("@every 00h00m30s");

    try (Satellite through = fleet(temp.resolve("gc-only"), TOKEN).build()) {
      SyncReport report = through.syncOnce();
      assertThat(report.deferred()).as("Ground Control's config carries no budget").isEmpty();
    }
    Path file = Files.writeString(temp.resolve("satellite.json"),
        "{\"app_config\": {\"max_bytes_per_pass\": 1}}");
    DistributionRegistry secondEdge = DistributionRegistry.builder().start();
    fleet.closeLater(secondEdge);
    GroundControlStandIn second = new GroundControlStandIn("token-2", stateReference(),
        fleet.upstreamRegistry.baseUrl(), ROBOT, PASSWORD);
    fleet.closeLater(second);
    try (RegistryClient otherEdge = RegistryClient.builder(secondEdge.baseUrl()).build();
        Satellite local = Satellite.builder().groundControl(second.url(), "token-2")
            .edge(otherEdge).stateDirectory(temp.resolve("with-file"))
            .localConfig(LocalConfig.read(file)).build()) {
      SyncReport report = local.syncOnce();
      assertThat(report.deferred()).as("the file's budget of one byte holds the image back")
          .isNotEmpty();
      assertThat(otherEdge.headManifest("proj/app", "v1")).isEmpty();
    }
  }

  @Test
  void anEdgeGivenIsKeptUntilTheConfigSaysTheOperatorBringsItsRegistry() throws Exception {
    String digest = publishDesired("proj/app");
    DistributionRegistry broughtRegistry = DistributionRegistry.builder().start();
    fleet.closeLater(broughtRegistry);
    assertThat(createConfig("{\"app_config\": {\"bring_own_registry\": false, \"local_registry\":"
        + " {\"url\": \"" + broughtRegistry.baseUrl() + "\"}}}")).isEqualTo(201);

    try (Satellite satellite = fleet(temp.resolve("state"), TOKEN).build();
        RegistryClient brought = RegistryClient.builder(broughtRegistry.baseUrl()).build()) {
      assertThat(satellite.syncOnce().ok()).isTrue();
      assertThat(edge.headManifest("proj/app", "v1").orElseThrow().digest().toString())
          .isEqualTo(digest);
      assertThat(brought.headManifest("proj/app", "v1")).as("not the Go satellite's own")
          .isEmpty();

      assertThat(patchConfig("{\"app_config\": {\"bring_own_registry\": true}}")).isEqualTo(200);
      // the pass that reads the new config moves the edge; the next checks every image there
      assertThat(satellite.syncOnce().ok()).isTrue();
      assertThat(satellite.syncOnce().ok()).isTrue();
      assertThat(brought.headManifest("proj/app", "v1").orElseThrow().digest().toString())
          .isEqualTo(digest);
    }
  }

  @Test
  void aGoNodesConfigJsonMovesOverAndSyncsAndBeatsWithoutAToken() throws Exception {
    String digest = publishDesired("proj/app");
    createConfig("{\"app_config\": {\"heartbeat_interval\": \"@every 00h00m01s\"}}");
    Path goConfig = Files.writeString(temp.resolve("config.json"), JSON.createObjectNode()
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("state_config", JSON.createObjectNode()
            .put("state", stateReference())
            .set("auth", JSON.createObjectNode().put("url", fleet.upstreamRegistry.baseUrl())
                .put("username", ROBOT).put("password", PASSWORD)))
        .set("app_config", JSON.createObjectNode().put("ground_control_url", groundControl.url())
            .put("log_level", "fatal").put("register_satellite_interval", "@every 00h00m01s"))
        .toString());
    Path directory = temp.resolve("state");

    GoConfigImport.importInto(goConfig, null, directory);

    try (Satellite satellite = Satellite.builder().groundControl(groundControl.url())
        .edge(edge).stateDirectory(directory).build()) {
      satellite.start(Duration.ofHours(1));
      await("the image at the edge and a heartbeat accepted for the imported robot",
          () -> edge.headManifest("proj/app", "v1").isPresent()
              && !groundControl.heartbeats.isEmpty());
    }
    assertThat(edge.headManifest("proj/app", "v1").orElseThrow().digest().toString())
        .isEqualTo(digest);
    assertThat(groundControl.registrations.get()).as("no registration, no token").isZero();
  }

  @Test
  void theFirstHeartbeatCarriesTheRuntimeMirrorResultsAndTheNextOnesThePasses()
      throws Exception {
    publishDesired("proj/app");
    createConfig("{\"app_config\": {\"heartbeat_interval\": \"@every 00h00m01s\"}}");
    MirrorReport mirrors = RuntimeMirrors.builder().edge(fleet.edgeRegistry.baseUrl())
        .runtimeRoot(temp.resolve("node"))
        .mirror(ContainerRuntime.CONTAINERD, List.of("docker.io")).build().apply();
    assertThat(mirrors.changes()).isNotEmpty();

    try (Satellite satellite = fleet(temp.resolve("state"), TOKEN).build()) {
      satellite.reportRuntimeMirrors(List.of(mirrors));
      satellite.start(Duration.ofHours(1));
      await("two heartbeats", () -> groundControl.heartbeats.size() >= 2);
    }
    assertThat(groundControl.heartbeats.get(0).get("activity").asText())
        .isEqualTo("cri_fallback_configured: containerd(ok)");
    assertThat(groundControl.heartbeats.get(1).get("activity").asText())
        .doesNotStartWith("cri_fallback_configured");
  }

  private Satellite.Builder fleet(Path directory, String token) {
    return Satellite.builder().groundControl(groundControl.url(), token).edge(edge)
        .stateDirectory(directory);
  }

  private String stateReference() {
    return fleet.upstreamRegistry.baseUrl() + "/satellite/satellite-state/edge-1/state:latest";
  }

  /** Pushes one image, publishes the group and satellite state; returns its digest. */
  private String publishDesired(String repository) {
    String digest = fleet.upstreamRegistry.push(repository,
        TestImages.image(TestImages.Format.OCI, 3, TestBlob.random(3, 64 * 1024)), "v1");
    String group = publisher.publishGroup("g1", fleet.upstreamRegistry.baseUrl(),
        List.of(new StateImage(repository, List.of("v1"), Optional.empty()))).reference();
    publisher.publishSatellite("edge-1", List.of(group), Optional.of(
        fleet.upstreamRegistry.baseUrl() + "/satellite/config-state/edge-1/state:latest"));
    return digest;
  }

  private int createConfig(String config) throws Exception {
    return send("POST", "/api/configs",
        "{\"config_name\": \"edge-1\", \"config\": " + config + "}");
  }

  private int patchConfig(String patch) throws Exception {
    return send("PATCH", "/api/configs/edge-1", patch);
  }

  private int send(String method, String path, String body) throws Exception {
    Request request = new Request.Builder().url(groundControl.url() + path)
        .method(method, RequestBody.create(body.getBytes(UTF_8),
            MediaType.get("application/json"))).build();
    try (Response response = http.newCall(request).execute()) {
      return response.code();
    }
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
