package dev.satellite.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.internal.SavedConfigFile;
import dev.satellite.agent.metrics.HttpSide;
import dev.satellite.core.GroupState;
import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SatelliteState;
import dev.satellite.core.StateSource;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet member's wiring without a registry: Ground Control is a MockWebServer, the satellite
 * state a fake {@link StateSource}, and the edges are never contacted.
 */
class FleetTest {
  private static final String REGISTERED = "{\"state\": \"harbor.example.com/satellite/"
      + "satellite-state/edge-1/state:latest\", \"auth\": {\"url\": \"https://harbor.example.com\","
      + " \"username\": \"robot$satellite-edge-1\", \"password\": \"r0b0t-Secret\"}}";
  private static final String CONFIG_REF = "harbor.example.com/satellite/configs/edge:latest";

  @TempDir Path directory;
  private final MockWebServer groundControl = new MockWebServer();
  private final FakeState state = new FakeState();
  private final List<String> levels = new CopyOnWriteArrayList<>();
  private final List<String> applied = new CopyOnWriteArrayList<>();
  private final List<RegistryClient> edgesReplicatedTo = new ArrayList<>();
  private RegistryClient builderEdge;
  private HttpObserver http = HttpObserver.NONE;

  @BeforeEach
  void start() throws Exception {
    groundControl.start();
    builderEdge = RegistryClient.builder("http://127.0.0.1:5001").build();
  }

  @AfterEach
  void stop() {
    builderEdge.close();
    groundControl.close();
  }

  @Test
  void theConfigItStartsWithIsAppliedThroughTheAppliersAndSaved() throws Exception {
    state.config("sha256:" + "1".repeat(64), "{\"app_config\": {\"state_replication_interval\":"
        + " \"@every 00h00m20s\", \"log_level\": \"debug\", \"heartbeat_interval\":"
        + " \"@every 00h00m07s\"}}");
    try (Fleet fleet = open(builderEdge)) {
      ConfigAppliers appliers = fleet.configAppliers(List.of(), null);
      fleet.applyStartConfig(appliers);

      assertThat(fleet.schedule().configured()).contains(Duration.ofSeconds(20));
      assertThat(levels).containsExactly("debug");
      assertThat(applied).containsExactly("sha256:" + "1".repeat(64));
      assertThat(appliers.current().heartbeatInterval()).isEqualTo(Duration.ofSeconds(7));
      assertThat(new SavedConfigFile(directory, Clock.systemUTC()).load())
          .hasValueSatisfying(saved -> assertThat(saved.digest())
              .isEqualTo("sha256:" + "1".repeat(64)));
      assertThat(fleet.edge()).as("the config names no edge").isSameAs(builderEdge);
      assertThat(fleet.edgeGeneration()).isZero();
    }
  }

  @Test
  void withHarborDownItStartsWithTheConfigSavedLast() throws Exception {
    new SavedConfigFile(directory, Clock.systemUTC()).save("sha256:" + "2".repeat(64),
        "{\"app_config\": {\"state_replication_interval\": \"@every 00h00m40s\"}}"
            .getBytes(StandardCharsets.UTF_8));
    state.down = true;
    try (Fleet fleet = open(builderEdge)) {
      fleet.applyStartConfig(fleet.configAppliers(List.of(), null));

      assertThat(fleet.schedule().configured()).contains(Duration.ofSeconds(40));
    }
  }

  @Test
  void anEdgeTheStartConfigNamesIsUsedFromTheStartAndALaterConfigSwitchesBackAndClosesIt()
      throws Exception {
    state.config("sha256:" + "3".repeat(64), "{\"app_config\": {\"bring_own_registry\": true,"
        + " \"local_registry\": {\"url\": \"http://127.0.0.1:5002\"}}}");
    try (Fleet fleet = open(builderEdge)) {
      ConfigAppliers appliers = fleet.configAppliers(List.of(), null);
      fleet.applyStartConfig(appliers);
      RegistryClient fromConfig = fleet.edge();
      assertThat(fromConfig.registry()).isEqualTo("127.0.0.1:5002");
      assertThat(edgesReplicatedTo).as("one replicator, built for the config's edge")
          .containsExactly(fromConfig);
      assertThat(fleet.edgeGeneration()).as("the start is not a switch").isZero();

      appliers.configChanged("sha256:" + "4".repeat(64),
          "{\"app_config\": {\"bring_own_registry\": false}}".getBytes(StandardCharsets.UTF_8));

      assertThat(fleet.edge()).isSameAs(builderEdge);
      assertThat(fleet.edgeGeneration()).isEqualTo(1);
      assertThat(fleet.replicator().retiring()).as("nothing kept: no call was in flight")
          .isZero();
      assertThatThrownBy(fromConfig::ping).as("the config-built client was closed")
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      assertThatThrownBy(builderEdge::ping).as("the builder's client stays open")
          .isNotInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void anEdgeTheConfigNamesThatCannotBeUsedIsTriedOncePerChangeAndTheBuildersStays()
      throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    http = new HttpObserver(side -> {
      if (side == HttpSide.EDGE) {
        attempts.incrementAndGet();
        throw new IllegalArgumentException("edge refused for the test");
      }
      return null;
    });
    state.config("sha256:" + "5".repeat(64), edgeConfig(5002, true));
    try (Fleet fleet = open(builderEdge)) {
      ConfigAppliers appliers = fleet.configAppliers(List.of(), null);
      fleet.applyStartConfig(appliers);
      assertThat(fleet.edge()).isSameAs(builderEdge);
      assertThat(attempts).as("at open; applying the same config does not try again").hasValue(1);

      appliers.configChanged("sha256:" + "6".repeat(64), bytes(edgeConfig(5003, true)));
      assertThat(attempts).as("another edge is tried").hasValue(2);
      appliers.configChanged("sha256:" + "7".repeat(64), bytes(edgeConfig(5003, false)));
      appliers.configChanged("sha256:" + "8".repeat(64), bytes(edgeConfig(5003, true)));

      assertThat(attempts).as("named again after it stopped naming it: tried again").hasValue(3);
      assertThat(fleet.edge()).isSameAs(builderEdge);
      assertThat(fleet.edgeGeneration()).isZero();
    }
  }

  private static String edgeConfig(int port, boolean bringOwn) {
    return "{\"app_config\": {\"bring_own_registry\": " + bringOwn + ", \"local_registry\":"
        + " {\"url\": \"http://127.0.0.1:" + port + "\"}}}";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void withoutAnEdgeFromTheBuilderOrTheConfigItRefusesAndClosesTheMembership() throws Exception {
    state.down = true;
    Membership member = join();

    assertThatThrownBy(() -> Fleet.open(member, settings(), state, Optional::empty, null,
        this::replicator, new InMemoryStateStore(), directory))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("no edge registry")
        .hasMessageContaining("Harbor is down");
    assertThatThrownBy(() -> member.upstream().ping()).as("the upstream client was closed")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingStopsTheHeartbeatsThenClosesTheMembershipsClientsButNotTheBuildersEdge()
      throws Exception {
    Membership member = join();
    Fleet fleet = Fleet.open(member, settings(), state, Optional::empty, builderEdge,
        this::replicator, new InMemoryStateStore(), directory);
    groundControl.enqueue(new MockResponse.Builder().code(200).build());
    fleet.start();
    RecordedRequest beat = groundControl.takeRequest(5, TimeUnit.SECONDS);
    assertThat(beat).isNotNull();
    assertThat(beat.getTarget()).isEqualTo("/satellites/sync");

    fleet.close();

    assertThat(Thread.getAllStackTraces().keySet()).as("the heartbeat thread ended")
        .noneMatch(thread -> thread.getName().equals("satellite-heartbeat"));
    assertThatThrownBy(() -> member.upstream().ping()).as("the upstream client was closed")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(builderEdge::ping).as("the builder's client stays the caller's")
        .isNotInstanceOf(IllegalStateException.class);
  }

  private Fleet open(RegistryClient edge) throws Exception {
    return Fleet.open(join(), settings(), state, Optional::empty, edge, this::replicator,
        new InMemoryStateStore(), directory);
  }

  private Membership join() throws Exception {
    groundControl.enqueue(new MockResponse.Builder().code(200).body(REGISTERED).build());
    Membership member = Membership.join(settings(), directory);
    assertThat(groundControl.takeRequest(5, TimeUnit.SECONDS).getTarget())
        .isEqualTo("/satellites/ztr/t0ken");
    return member;
  }

  private RegistryReplicator replicator(RegistryClient edge) {
    edgesReplicatedTo.add(edge);
    Function<String, RegistryClient> noSource = registry -> {
      throw new AssertionError("no source registry is needed: " + registry);
    };
    return RegistryReplicator.builder(noSource, edge).build();
  }

  private Fleet.Settings settings() {
    return new Fleet.Settings("http://" + groundControl.getHostName() + ":"
        + groundControl.getPort(), Optional.of("t0ken"), null, null, Duration.ofMillis(10),
        Optional.of(Duration.ofSeconds(5)), Optional.empty(), Map.of(), levels::add, null,
        () -> true, new FleetListener() {
          @Override
          public void configApplied(String digest) {
            applied.add(digest);
          }
        }, http, null);
  }

  /** A satellite state with a config and no groups, or Harbor down. */
  private static final class FakeState implements StateSource {
    volatile boolean down;
    private String digest;
    private byte[] config;

    void config(String digest, String config) {
      this.digest = digest;
      this.config = config.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public SatelliteState fetchSatelliteState() {
      if (down) {
        throw new SatelliteException("Harbor is down");
      }
      return new SatelliteState(List.of(), Optional.ofNullable(config == null ? null : CONFIG_REF));
    }

    @Override
    public GroupState fetchGroup(String ref) {
      throw new AssertionError("no group is read at start: " + ref);
    }

    @Override
    public String configDigest(String ref) {
      assertThat(ref).isEqualTo(CONFIG_REF);
      return digest;
    }

    @Override
    public byte[] fetchConfig(String ref) {
      assertThat(ref).isEqualTo(CONFIG_REF);
      return config.clone();
    }
  }
}
