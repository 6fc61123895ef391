package dev.satellite.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.Reconciler;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.ReplicationResult;
import dev.satellite.core.Replicator;
import dev.satellite.core.SatelliteState;
import dev.satellite.core.StateSource;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryException;
import dev.satellite.testing.MutableClock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * Library use, without the agent: an application's Reconciler with its own state source and
 * replicator reports to {@link SatelliteMetrics} bound to a {@link SimpleMeterRegistry}.
 */
class SatelliteMetricsTest {
  private static final String GROUP = "harbor.example/satellite/group-state/g1/state:latest";

  /** The edge as a replicator sees it: what is in place, and images that fail to copy. */
  private static final class Edge implements Replicator {
    final Map<String, String> tags = new ConcurrentHashMap<>();
    final Set<String> failing = ConcurrentHashMap.newKeySet();

    @Override
    public ReplicationResult replicate(String sourceRegistry, Entity entity,
        ReplicationProgress progress) {
      String key = entity.repository() + ":" + entity.tag();
      if (failing.contains(key)) {
        throw new IllegalStateException("push " + key + ": 500 Internal Server Error");
      }
      if (entity.digest().equals(tags.get(key))) {
        return ReplicationResult.ALREADY_PRESENT;
      }
      tags.put(key, entity.digest());
      return ReplicationResult.builder().blobsUploaded(2).blobsSkipped(1).bytesCopied(1_500)
          .manifestsPushed(1).build();
    }

    @Override
    public void deleteManifest(String repository, String digest) {
      tags.values().removeIf(digest::equals);
    }

    @Override
    public boolean deleteTag(String repository, String tag) {
      return tags.remove(repository + ":" + tag) != null;
    }
  }

  private static StateSource source(List<Entity> entities) {
    return new StateSource() {
      @Override
      public SatelliteState fetchSatelliteState() {
        return new SatelliteState(List.of(GROUP), Optional.empty());
      }

      @Override
      public GroupState fetchGroup(String ref) {
        return new GroupState(ref, "https://harbor.example", entities);
      }

      @Override
      public String configDigest(String ref) {
        throw new UnsupportedOperationException("no config");
      }

      @Override
      public byte[] fetchConfig(String ref) {
        throw new UnsupportedOperationException("no config");
      }
    };
  }

  private static final Entity APP = new Entity("library/app", "v1", "sha256:" + "a".repeat(64));
  private static final Entity DB = new Entity("library/db", "v2", "sha256:" + "b".repeat(64));

  @Test
  void passesImagesBlobsAndBytesAreCountedFromAnApplicationsReconciler() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    SatelliteMetrics metrics = new SatelliteMetrics(clock);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    Edge edge = new Edge();
    edge.failing.add("library/db:v2");
    InMemoryStateStore store = new InMemoryStateStore();

    SyncReport first = reconciler(source(List.of(APP, DB)), edge, store, metrics).sync();
    assertThat(registry.get("satellite.last.success.age").timeGauge().value()).isNaN();
    edge.failing.clear();
    SyncReport second = reconciler(source(List.of(APP, DB)), edge, store, metrics).sync();
    clock.set(clock.instant().plusSeconds(42));
    reconciler(source(List.of(DB)), edge, store, metrics).sync();

    assertThat(passes(registry, "failed")).isEqualTo(1);
    assertThat(passes(registry, "complete")).isEqualTo(2);
    assertThat(counter(registry, "satellite.images", "result", "placed")).isEqualTo(2);
    assertThat(counter(registry, "satellite.images", "result", "failed")).isEqualTo(1);
    assertThat(counter(registry, "satellite.images", "result", "present"))
        .isEqualTo(second.unchanged() + 1).isEqualTo(2);
    assertThat(counter(registry, "satellite.images.pruned", "outcome", "manifest_deleted"))
        .isEqualTo(1);
    assertThat(counter(registry, "satellite.blobs", "result", "uploaded")).isEqualTo(4);
    assertThat(counter(registry, "satellite.blobs", "result", "skipped")).isEqualTo(2);
    assertThat(registry.get("satellite.bytes.copied").functionCounter().count())
        .isEqualTo(first.bytesCopied() + second.bytesCopied()).isEqualTo(3_000);
    assertThat(registry.get("satellite.bytes.copied").functionCounter().getId().getBaseUnit())
        .isEqualTo("bytes");
    assertThat(registry.get("satellite.checkpoint.saves").functionTimer().count())
        .isGreaterThanOrEqualTo(3);
    assertThat(registry.get("satellite.last.success.age").timeGauge().value(TimeUnit.SECONDS))
        .isEqualTo(0);
  }

  @Test
  void timeSinceTheLastSuccessfulPassGrowsWithTheClock() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    SatelliteMetrics metrics = new SatelliteMetrics(clock);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    reconciler(source(List.of(APP)), new Edge(), new InMemoryStateStore(), metrics).sync();
    metrics.bindTo(registry);

    clock.set(clock.instant().plusSeconds(90));

    assertThat(registry.get("satellite.last.success.age").timeGauge().value(TimeUnit.SECONDS))
        .isEqualTo(90);
    assertThat(metrics.lastSuccessfulPass()).contains(Instant.parse("2026-12-01T10:00:00Z"));
  }

  @Test
  void httpRequestsAreCountedBySideAndStatusClassThroughTheListener() throws Exception {
    SatelliteMetrics metrics = new SatelliteMetrics();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
      server.enqueue(new MockResponse.Builder().code(404).build());
      server.enqueue(new MockResponse.Builder().code(503).build());
      server.start();
      try (RegistryClient client = RegistryClient.builder(server.url("/").toString())
          .maxRetries(0).exchangeListener(metrics.httpListener(HttpSide.EDGE)).build()) {
        client.ping();
        assertThatThrownBy(client::ping).isInstanceOf(RegistryException.class);
        assertThatThrownBy(client::ping).isInstanceOf(RegistryException.class);
        server.close();
        assertThatThrownBy(client::ping)
            .as("the kept-alive connection to a closed server: counted as io_error")
            .isInstanceOf(RegistryException.class);
      }
    }

    assertThat(http(registry, "edge", "2xx")).isEqualTo(1);
    assertThat(http(registry, "edge", "4xx")).isEqualTo(1);
    assertThat(http(registry, "edge", "5xx")).isEqualTo(1);
    assertThat(http(registry, "edge", "io_error")).isEqualTo(1);
    assertThat(http(registry, "upstream", "2xx")).isZero();
  }

  @Test
  void noTagHoldsARepositoryAnImageTagOrADigest() {
    SatelliteMetrics metrics = new SatelliteMetrics();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    reconciler(source(List.of(APP, DB)), new Edge(), new InMemoryStateStore(), metrics).sync();

    assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> {
      assertThat(meter.getId().getName()).startsWith("satellite.");
      assertThat(meter.getId().getTags()).allSatisfy(tag -> {
        assertThat(tag.getKey()).isIn("outcome", "result", "side", "status");
        assertThat(tag.getValue()).doesNotContain("library", "sha256", "v1", "/", ":");
      });
    });
    assertThat(registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).distinct())
        .hasSize(16);
  }

  private static Reconciler reconciler(StateSource source, Replicator edge,
      InMemoryStateStore store, SatelliteMetrics metrics) {
    return Reconciler.builder().stateSource(source).replicator(edge)
        .stateStore(metrics.timed(store)).listener(metrics).build();
  }

  private static double passes(SimpleMeterRegistry registry, String outcome) {
    FunctionTimer timer = registry.get("satellite.passes").tag("outcome", outcome).functionTimer();
    return timer.count();
  }

  private static double counter(SimpleMeterRegistry registry, String name, String key,
      String value) {
    FunctionCounter counter = registry.get(name).tag(key, value).functionCounter();
    return counter.count();
  }

  private static double http(SimpleMeterRegistry registry, String side, String status) {
    return registry.get("satellite.http.requests").tags("side", side, "status", status)
        .functionTimer().count();
  }
}
