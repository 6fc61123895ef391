package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.agent.health.HealthStatus;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Satellite#health()} while the edge registry stops and comes back. */
@RequiresRegistry
class SatelliteHealthIT {
  @TempDir Path temp;

  @Test
  void readinessFollowsTheEdgeRegistryAndLivenessTheLoop() throws Exception {
    Path edgeDirectory = temp.resolve("edge");
    Files.createDirectories(edgeDirectory);
    try (DistributionRegistry upstreamRegistry = DistributionRegistry.builder().start();
        RegistryClient upstream = RegistryClient.builder(upstreamRegistry.baseUrl()).build()) {
      upstreamRegistry.push("library/app",
          TestImages.image(Format.OCI, 1, TestBlob.random(11, 100_000)), "v1");
      StatePublisher publisher =
          StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
      String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(),
          List.of(new StateImage("library/app", List.of("v1"), Optional.empty()))).reference();
      String stateRef =
          publisher.publishSatellite("edge-1", List.of(group), Optional.empty()).reference();
      DistributionRegistry edgeRegistry =
          DistributionRegistry.builder().directory(edgeDirectory).start();
      int edgePort = Integer.parseInt(edgeRegistry.hostPort().replaceFirst(".*:", ""));
      try (RegistryClient edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
          Satellite satellite = Satellite.builder().upstream(upstream, stateRef).edge(edge)
              .stateDirectory(temp.resolve("state")).build()) {
        assertThat(satellite.health().readiness().reason()).contains("no successful pass yet");
        satellite.start(Duration.ofSeconds(1));
        await("ready", () -> satellite.health().readiness());

        edgeRegistry.close();
        HealthStatus stopped = satellite.health().readiness();
        assertThat(stopped.up()).isFalse();
        assertThat(stopped.reason().orElseThrow())
            .startsWith("the edge registry does not answer: ");
        assertThat(satellite.health().liveness().up()).isTrue();

        edgeRegistry = DistributionRegistry.builder().directory(edgeDirectory).port(edgePort)
            .start();
        await("ready again", () -> satellite.health().readiness());
        assertThat(satellite.health().liveness().up()).isTrue();
      } finally {
        edgeRegistry.close();
      }
    }
  }

  private static void await(String what, Supplier<HealthStatus> status)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HealthStatus last = status.get();
    while (!last.up()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " within 30 s: " + last.reason().orElse(""));
      }
      Thread.sleep(100);
      last = status.get();
    }
  }
}
