package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.core.Entity;
import dev.satellite.core.SyncReport;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SatelliteStatus} of a state directory a running satellite holds, and after it. */
@RequiresRegistry
class SatelliteStatusIT {
  @TempDir Path temp;

  @Test
  void statusIsReadWhileTheSatelliteHoldsItsDirectoryAndAfterIt() throws Exception {
    Path directory = temp.resolve("state");
    try (DistributionRegistry upstreamRegistry = DistributionRegistry.builder().start();
        DistributionRegistry edgeRegistry = DistributionRegistry.builder().start();
        RegistryClient upstream = RegistryClient.builder(upstreamRegistry.baseUrl()).build();
        RegistryClient edge = RegistryClient.builder(edgeRegistry.baseUrl()).build()) {
      String digest = upstreamRegistry.push("library/app",
          TestImages.image(Format.OCI, 1, TestBlob.random(11, 100_000)), "v1");
      StatePublisher publisher =
          StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
      String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(),
          List.of(new StateImage("library/app", List.of("v1"), Optional.empty()))).reference();
      String state =
          publisher.publishSatellite("edge-1", List.of(group), Optional.empty()).reference();

      SyncReport report;
      try (Satellite satellite = Satellite.builder().upstream(upstream, state).edge(edge)
          .stateDirectory(directory).build()) {
        assertThat(SatelliteStatus.read(directory).lastPassJson()).isEmpty();
        report = satellite.syncOnce();
        SatelliteStatus running = SatelliteStatus.read(directory);
        assertThat(running.problems()).isEmpty();
        assertThat(running.lastPassJson()).contains(report.toJson());
        assertThat(running.imagesByGroup()).containsExactly(
            Map.entry(group, List.of(new Entity("library/app", "v1", digest))));
        assertThat(running.upstreamBytes()).get()
            .satisfies(total -> assertThat(total.total()).isEqualTo(report.upstreamBytesTotal()));
      }

      JsonNode after = new ObjectMapper().readTree(SatelliteStatus.read(directory).toJson());
      assertThat(after.get("lastPass").get("ok").asBoolean()).isTrue();
      assertThat(after.get("images").asInt()).isEqualTo(1);
      assertThat(after.get("groups").get(0).get("ref").asText()).isEqualTo(group);
      assertThat(after.get("registration").isNull()).isTrue();
      assertThat(after.get("upstreamBytes").get("total").asLong()).isPositive();
    }

    Files.writeString(directory.resolve("last-pass.json"), "{\"ok\": tru");
    SatelliteStatus broken = SatelliteStatus.read(directory);
    assertThat(broken.problems()).singleElement().asString()
        .startsWith(directory.toAbsolutePath().resolve("last-pass.json") + ": ");
    assertThat(broken.imagesByGroup()).hasSize(1);
  }
}
