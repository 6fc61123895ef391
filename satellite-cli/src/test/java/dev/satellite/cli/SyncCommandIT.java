package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.RegistryClient;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples end to end against two real registries: seed images upstream, publish the state,
 * run {@code SyncCommand --json}, and check the report and the edge.
 */
@RequiresRegistry
class SyncCommandIT {
  private static final Map<String, String> ENV = Map.of(
      "SATELLITE_REGISTRY_PASSWORD", "upstream-pw", "SATELLITE_SOURCE_PASSWORD", "upstream-pw");

  @TempDir Path dir;

  private DistributionRegistry upstream;
  private DistributionRegistry edge;

  @BeforeEach
  void startRegistries() {
    upstream = DistributionRegistry.builder().basicAuth("publisher", "upstream-pw").start();
    edge = DistributionRegistry.builder().start();
  }

  @AfterEach
  void stopRegistries() {
    if (upstream != null) {
      upstream.close();
    }
    if (edge != null) {
      edge.close();
    }
  }

  @Test
  void syncOnceJsonReportsTheCopyAndTheEdgeHoldsEveryDesiredTag() throws Exception {
    DemoImages.push(upstream, 3, 2, 1);
    String state = publish(upstream.baseUrl(),
        "--group", "g1=demo/app1:v1,demo/app2:v1", "--group", "g2=demo/app3:v1");
    Path checkpoint = dir.resolve("checkpoint.json");

    Output sync = new Output();
    int status = SyncCommand.run(
        new String[] {"--state", state, "--destination", edge.baseUrl(), "--checkpoint",
            checkpoint.toString(), "--source-user", "publisher", "--json"},
        ENV, sync.out(), sync.err());

    assertThat(status).as(sync.errText()).isZero();
    JsonNode report = new ObjectMapper().readTree(sync.outText());
    assertThat(report.get("ok").asBoolean()).isTrue();
    assertThat(report.get("replicated").asInt()).isEqualTo(3);
    assertThat(report.get("failed").asInt()).isZero();
    assertThat(report.get("checkpointSaved").asBoolean()).isTrue();
    assertThat(report.get("blobsUploaded").asInt() + report.get("blobsMounted").asInt())
        .isGreaterThanOrEqualTo(4);
    assertThat(report.get("bytesCopied").asLong()).isGreaterThanOrEqualTo(2L * 1024 * 1024);
    assertThat(report.get("groups")).hasSize(2);
    assertThat(report.get("failures")).isEmpty();
    assertThat(sync.errText()).doesNotContain("upstream-pw");
    try (RegistryClient edgeClient = RegistryClient.builder(edge.baseUrl()).build();
        RegistryClient upstreamClient =
            RegistryClient.builder(upstream.baseUrl())
                .credentials(dev.satellite.registry.Credentials.basic("publisher", "upstream-pw"))
                .build()) {
      for (String repository : new String[] {"demo/app1", "demo/app2", "demo/app3"}) {
        Optional<Descriptor> atEdge = edgeClient.headManifest(repository, "v1");
        assertThat(atEdge).as(repository).isPresent();
        assertThat(atEdge.get().digest())
            .isEqualTo(upstreamClient.headManifest(repository, "v1").orElseThrow().digest());
      }
    }
    try (AtomicFileStateStore store = AtomicFileStateStore.open(checkpoint)) {
      assertThat(store.load()).get().satisfies(c -> assertThat(c.entityCount()).isEqualTo(3));
    }
    assertThat(report.get("bytesResumed").asLong()).isZero();
    assertThat(report.get("restartedUploads")).isEmpty();
    assertThat(dir.resolve("checkpoint.json.uploads")).as("upload journal next to the checkpoint")
        .isDirectory();

    Output again = new Output();
    assertThat(SyncCommand.run(
        new String[] {"--state", state, "--destination", edge.baseUrl(), "--checkpoint",
            checkpoint.toString(), "--source-user", "publisher", "--json"},
        ENV, again.out(), again.err())).isZero();
    JsonNode second = new ObjectMapper().readTree(again.outText());
    assertThat(second.get("unchanged").asInt()).isEqualTo(3);
    assertThat(second.get("bytesCopied").asLong()).isZero();
  }

  @Test
  void harborPublishedUnderAnotherNameIsReachedThroughTheHostOverride() throws Exception {
    DemoImages.push(upstream, 1, 1, 1);
    // published as "localhost": the name the state artifacts carry is not the one reached here
    String reached = upstream.baseUrl().replaceFirst("^http://", "");
    String published = reached.replace("127.0.0.1", "localhost");
    String state = publish("http://" + published, "--group", "g1=demo/app1:v1")
        .replace(published, reached);
    String[] sync = {"--state", state, "--destination", edge.baseUrl(), "--checkpoint",
        dir.resolve("checkpoint.json").toString(), "--source-user", "publisher", "--json"};

    Output without = new Output();
    SyncCommand.run(sync, ENV, without.out(), without.err());
    JsonNode refused = new ObjectMapper().readTree(without.outText());
    assertThat(refused.get("ok").asBoolean()).as(without.outText()).isFalse();
    assertThat(refused.get("replicated").asInt()).isZero();
    assertThat(refused.toString()).as("the failure names the published host")
        .contains("read group state " + published);

    Output with = new Output();
    String[] overridden = Stream.concat(Arrays.stream(sync),
        Stream.of("--host-override", published + "=" + reached)).toArray(String[]::new);
    assertThat(SyncCommand.run(overridden, ENV, with.out(), with.err())).as(with.errText())
        .isZero();
    JsonNode report = new ObjectMapper().readTree(with.outText());
    assertThat(report.get("ok").asBoolean()).isTrue();
    assertThat(report.get("replicated").asInt()).isEqualTo(1);
  }

  /** Publishes the state of satellite edge-1 with {@code groups} to {@code registry}; its ref. */
  private static String publish(String registry, String... groups) {
    Output published = new Output();
    String[] args = Stream.concat(
        Stream.of("--registry", registry, "--user", "publisher", "--satellite", "edge-1"),
        Arrays.stream(groups)).toArray(String[]::new);
    assertThat(PublishStateCommand.run(args, ENV, published.out(), published.err()))
        .as(published.errText()).isZero();
    return published.outText().strip();
  }

  /** Captured stdout and stderr of one command. */
  private static final class Output {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    PrintStream out() {
      return new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    }

    PrintStream err() {
      return new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    }

    String outText() {
      return outBytes.toString(StandardCharsets.UTF_8);
    }

    String errText() {
      return errBytes.toString(StandardCharsets.UTF_8);
    }
  }
}
