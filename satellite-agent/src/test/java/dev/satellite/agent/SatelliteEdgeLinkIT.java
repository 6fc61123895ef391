package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.registry.SyncWindow;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.MutableClock;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link Satellite} on a link with sync windows, and its upstream byte meter, end to end. */
@RequiresRegistry
class SatelliteEdgeLinkIT {
  private static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");
  private static final Instant NIGHT = Instant.parse("2026-12-01T23:00:00Z");

  @TempDir Path temp;
  private DistributionRegistry upstreamRegistry;
  private DistributionRegistry edgeRegistry;
  private RegistryClient upstream;
  private RegistryClient edge;
  private String stateRef;
  private final MutableClock clock = new MutableClock(NOON);

  @BeforeEach
  void publishOneImage() {
    upstreamRegistry = DistributionRegistry.builder().basicAuth("gc", "secret").start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstream = RegistryClient.builder(upstreamRegistry.baseUrl())
        .credentials(Credentials.basic("gc", "secret")).build();
    edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
    upstreamRegistry.push("library/app",
        TestImages.image(Format.OCI, 5, TestBlob.random(5, 2_000_000)), "v1");
    StatePublisher publisher =
        StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
    String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(),
        List.of(new StateImage("library/app", List.of("v1"), Optional.empty()))).reference();
    stateRef = publisher.publishSatellite("edge-1", List.of(group), Optional.empty()).reference();
  }

  @AfterEach
  void stop() {
    upstream.close();
    edge.close();
    upstreamRegistry.close();
    edgeRegistry.close();
  }

  @Test
  void aRunningSatelliteDefersOutsideItsWindowAndCopiesOnceTheWindowOpens() throws Exception {
    BlockingQueue<SyncReport> reports = new LinkedBlockingQueue<>();
    Path directory = temp.resolve("state");
    try (Satellite satellite = satellite(directory)
        .listener(new SyncListener() {
          @Override
          public void syncFinished(SyncReport report) {
            reports.add(report);
          }
        })
        .build()) {
      satellite.start(Duration.ofMillis(200));

      SyncReport closed = reports.poll(30, TimeUnit.SECONDS);
      assertThat(closed.deferred()).singleElement()
          .satisfies(d -> assertThat(d.reason()).contains("outside the sync windows"));
      assertThat(closed.ok()).isTrue();
      assertThat(closed.upstreamBytes()).as("the state artifacts were read").isPositive();
      assertThat(blobRequestsUpstream()).isZero();
      assertThat(edge.headManifest("library/app", "v1")).isEmpty();

      clock.set(NIGHT);
      SyncReport open = awaitReport(reports, r -> r.replicated() == 1);

      assertThat(open.complete()).isTrue();
      assertThat(blobRequestsUpstream()).isEqualTo(2);
      assertThat(open.upstreamBytesTotal() - closed.upstreamBytesTotal())
          .as("the layer read from the upstream once the window opened (in this pass or, when"
              + " it opened between two blobs of the image, partly in the one before)")
          .isGreaterThan(2_000_000);
      assertThat(edge.headManifest("library/app", "v1")).isPresent();
    }
  }

  @Test
  void theRunningTotalOfUpstreamBytesSurvivesARestart() throws Exception {
    clock.set(NIGHT);
    Path directory = temp.resolve("state");
    long firstTotal;
    try (Satellite satellite = satellite(directory).build()) {
      SyncReport first = satellite.syncOnce();
      assertThat(first.upstreamBytesTotal()).isEqualTo(first.upstreamBytes()).isPositive();
      SyncReport second = satellite.syncOnce();
      firstTotal = second.upstreamBytesTotal();
      assertThat(firstTotal).isEqualTo(first.upstreamBytes() + second.upstreamBytes());
    }
    assertThat(Files.readString(directory.resolve(Satellite.UPSTREAM_BYTES_FILE)))
        .contains("\"bytes\":" + firstTotal);

    try (Satellite satellite = satellite(directory).build()) {
      SyncReport afterRestart = satellite.syncOnce();

      assertThat(afterRestart.upstreamBytesTotal())
          .isEqualTo(firstTotal + afterRestart.upstreamBytes());
    }
  }

  private Satellite.Builder satellite(Path directory) {
    return Satellite.builder().upstream(upstream, stateRef).edge(edge).stateDirectory(directory)
        .syncWindows(List.of(SyncWindow.parse("22:00-06:00"))).syncWindowZone(ZoneOffset.UTC)
        .clock(clock);
  }

  private long blobRequestsUpstream() {
    return upstreamRegistry.requests().stream()
        .filter(e -> e.method().equals("GET") && e.path().contains("/library/app/blobs/"))
        .count();
  }

  private static SyncReport awaitReport(
      BlockingQueue<SyncReport> reports, java.util.function.Predicate<SyncReport> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      SyncReport report = reports.poll(1, TimeUnit.SECONDS);
      if (report != null && wanted.test(report)) {
        return report;
      }
    }
    throw new AssertionError("no such pass within 30 s");
  }
}
