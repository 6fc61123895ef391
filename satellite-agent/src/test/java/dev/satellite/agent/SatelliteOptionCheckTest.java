package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.registry.RegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad option value fails in its setter, naming the option and the value, before {@code build()}
 * takes the state directory's lock or creates a file.
 */
class SatelliteOptionCheckTest {
  @TempDir Path temp;
  private final RegistryClient upstream = RegistryClient.builder("http://127.0.0.1:1").build();
  private final RegistryClient edge = RegistryClient.builder("http://127.0.0.1:2").build();

  @AfterEach
  void close() {
    upstream.close();
    edge.close();
  }

  @Test
  void groupParallelismBelowOne() {
    assertRefused(b -> b.groupParallelism(0), "groupParallelism", "0");
  }

  @Test
  void entityParallelismBelowOne() {
    assertRefused(b -> b.entityParallelism(-3), "entityParallelism", "-3");
  }

  @Test
  void blobParallelismOutOfRange() {
    assertRefused(b -> b.blobParallelism(0), "blobParallelism", "0");
    assertRefused(b -> b.blobParallelism(65), "blobParallelism", "65");
  }

  @Test
  void bandwidthAndByteBudgetBelowOne() {
    assertRefused(b -> b.maxBandwidth(0), "maxBandwidth", "0");
    assertRefused(b -> b.maxBytesPerPass(-1), "maxBytesPerPass", "-1");
  }

  @Test
  void negativeDurationsAndThresholds() {
    assertRefused(b -> b.stallBound(Duration.ZERO), "stall bound", "PT0S");
    assertRefused(b -> b.resumableUploads(-1), "resume threshold", "-1");
  }

  @Test
  void goodValuesAreKeptAndTheSatelliteBuilds() {
    Satellite.Builder builder = builder().groupParallelism(2).entityParallelism(8)
        .blobParallelism(64);

    try (Satellite satellite = builder.build()) {
      assertThat(satellite.stateDirectory()).isPresent();
    }
    assertThat(temp.resolve("state")).isDirectory();
  }

  private Satellite.Builder builder() {
    return Satellite.builder()
        .upstream(upstream, "http://127.0.0.1:1/satellite/satellite-state/edge-1/state:latest")
        .edge(edge)
        .stateDirectory(temp.resolve("state"));
  }

  private void assertRefused(Consumer<Satellite.Builder> setting, String option, String value) {
    Satellite.Builder builder = builder();

    assertThatThrownBy(() -> setting.accept(builder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(option)
        .hasMessageContaining(value);
    assertThat(Files.exists(temp.resolve("state"))).isFalse();
  }
}
