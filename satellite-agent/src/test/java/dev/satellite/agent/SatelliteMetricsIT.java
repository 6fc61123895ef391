package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.agent.metrics.SatelliteMetrics;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SatelliteMetrics} on a {@link Satellite} between two real registries. */
@RequiresRegistry
class SatelliteMetricsIT {
  private static final String USER = "ground-control";
  private static final String PASSWORD = "upstream-secret";

  @TempDir Path temp;

  @Test
  void twoPassesAreCountedWithTheReportsBytesAndEveryRequestBySide() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SatelliteMetrics metrics = new SatelliteMetrics();
    metrics.bindTo(registry);
    try (DistributionRegistry upstreamRegistry =
            DistributionRegistry.builder().basicAuth(USER, PASSWORD).start();
        DistributionRegistry edgeRegistry = DistributionRegistry.builder().start();
        RegistryClient upstream = RegistryClient.builder(upstreamRegistry.baseUrl())
            .credentials(Credentials.basic(USER, PASSWORD)).build();
        RegistryClient edge = RegistryClient.builder(edgeRegistry.baseUrl()).build()) {
      upstreamRegistry.push("library/app",
          TestImages.image(Format.OCI, 1, TestBlob.random(11, 300_000)), "v1");
      upstreamRegistry.push("library/db",
          TestImages.image(Format.OCI, 2, TestBlob.random(12, 200_000)), "v2");
      StatePublisher publisher =
          StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
      String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(), List.of(
          new StateImage("library/app", List.of("v1"), Optional.empty()),
          new StateImage("library/db", List.of("v2"), Optional.empty()))).reference();
      String stateRef =
          publisher.publishSatellite("edge-1", List.of(group), Optional.empty()).reference();

      SyncReport first;
      SyncReport second;
      try (Satellite satellite = Satellite.builder().upstream(upstream, stateRef).edge(edge)
          .stateDirectory(temp.resolve("state")).metrics(metrics).build()) {
        first = satellite.syncOnce();
        second = satellite.syncOnce();
      }

      assertThat(first.ok()).as(first.toJson()).isTrue();
      assertThat(registry.get("satellite.passes").tag("outcome", "complete").functionTimer()
          .count()).isEqualTo(2);
      double copied = registry.get("satellite.bytes.copied").functionCounter().count();
      assertThat(copied).isEqualTo(first.bytesCopied() + second.bytesCopied())
          .isGreaterThan(500_000);
      assertThat(registry.get("satellite.upstream.bytes").functionCounter().count())
          .isEqualTo(first.upstreamBytes() + second.upstreamBytes());
      assertThat(registry.get("satellite.upstream.bytes.total").gauge().value())
          .isEqualTo(second.upstreamBytesTotal());
      assertThat(registry.get("satellite.images").tag("result", "placed").functionCounter()
          .count()).isEqualTo(2);
      assertThat(registry.get("satellite.images").tag("result", "present").functionCounter()
          .count()).isEqualTo(2);
      assertThat(registry.get("satellite.checkpoint.saves").functionTimer().count())
          .isGreaterThanOrEqualTo(2);
      assertThat(registry.get("satellite.last.success.age").timeGauge().value(TimeUnit.SECONDS))
          .isBetween(0.0, 60.0);
      assertThat(requests(registry, "upstream", "2xx")).isGreaterThan(0);
      assertThat(requests(registry, "upstream", "4xx"))
          .as("the upstream's 401 challenges before the token").isGreaterThan(0);
      assertThat(requests(registry, "edge", "2xx")).isGreaterThan(0);
      assertThat(requests(registry, "ground-control", "2xx")).isZero();
    }
  }

  private static double requests(SimpleMeterRegistry registry, String side, String status) {
    return registry.get("satellite.http.requests").tags("side", side, "status", status)
        .functionTimer().count();
  }
}
