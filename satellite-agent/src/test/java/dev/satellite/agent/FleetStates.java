package dev.satellite.agent;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What Ground Control publishes for satellite {@code edge-1} on a real upstream registry, for
 * fleet tests: images, the config state, the group and satellite states.
 */
final class FleetStates {
  private final DistributionRegistry upstream;
  private final StatePublisher publisher;

  FleetStates(DistributionRegistry upstream, StatePublisher publisher) {
    this.upstream = upstream;
    this.publisher = publisher;
  }

  /** Pushes a test image; returns its digest. */
  String push(String repository, long seed, String tag) {
    TestImage image = TestImages.image(Format.OCI, seed, TestBlob.random(seed, 64 * 1024));
    return upstream.push(repository, image, tag);
  }

  /** Publishes the config state {@code json}; returns its digest. */
  String publishConfig(String json) {
    return publisher.publishConfig("edge-1", json.getBytes(UTF_8)).digest().toString();
  }

  /** Publishes group {@code g1} with {@code images} ({@code repository:tag}) and edge-1's state. */
  void publishState(String... images) {
    List<StateImage> desired = new ArrayList<>();
    for (String image : images) {
      String[] parts = image.split(":");
      desired.add(new StateImage(parts[0], List.of(parts[1]), Optional.empty()));
    }
    String group = publisher.publishGroup("g1", upstream.baseUrl(), desired).reference();
    String config = upstream.baseUrl() + "/satellite/config-state/edge-1/state:latest";
    publisher.publishSatellite("edge-1", List.of(group), Optional.of(config));
  }

  /** Waits up to 40 s for {@code condition}. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, Duration.ofSeconds(40), condition);
  }

  /** Waits up to {@code patience} for {@code condition}. */
  static void await(String what, Duration patience, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(100);
    }
  }
}
