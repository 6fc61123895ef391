package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Entity;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.ReplicationResult;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.testing.FakeRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryReplicatorTest {
  private final MockWebServer upstreamServer = new MockWebServer();
  private final MockWebServer edgeServer = new MockWebServer();
  private final FakeRegistry upstream = new FakeRegistry();
  private final FakeRegistry edge = new FakeRegistry();
  private final List<String> resolved = new ArrayList<>();
  private RegistryClient upstreamClient;
  private RegistryClient edgeClient;
  private RegistryReplicator replicator;

  @BeforeEach
  void start() throws Exception {
    upstreamServer.setDispatcher(upstream);
    edgeServer.setDispatcher(edge);
    upstreamServer.start();
    edgeServer.start();
    upstreamClient = RegistryClient.builder(url(upstreamServer)).maxRetries(0).build();
    edgeClient = RegistryClient.builder(url(edgeServer)).maxRetries(0).build();
    replicator =
        new RegistryReplicator(
            registry -> {
              resolved.add(registry);
              return registry.equals("https://harbor.example.com") ? upstreamClient : null;
            },
            edgeClient);
  }

  @AfterEach
  void stop() {
    replicator.close();
    upstreamClient.close();
    edgeClient.close();
    upstreamServer.close();
    edgeServer.close();
  }

  @Test
  void copiesTheEntityFromTheClientResolvedForItsGroupRegistry() {
    TestImage image = seed("library/app");

    ReplicationResult result =
        replicator.replicate(
            "https://harbor.example.com", entity("library/app", "v1", image),
            ReplicationProgress.NONE);

    assertThat(resolved).containsExactly("https://harbor.example.com");
    assertThat(result.alreadyPresent()).isFalse();
    assertThat(result.blobsUploaded()).isEqualTo(3);
    assertThat(result.bytesCopied()).isEqualTo(image.blobBytes());
    assertThat(result.manifestsPushed()).isEqualTo(1);
    assertThat(edge.manifest("library/app", "v1")).contains(image.manifest());
  }

  @Test
  void entityAlreadyAtTheEdgeIsReportedAlreadyPresent() {
    TestImage image = seed("library/app");
    edge.putManifest("library/app", image.mediaType(), image.manifest(), "v1");

    ReplicationResult result =
        replicator.replicate(
            "https://harbor.example.com", entity("library/app", "v1", image),
            ReplicationProgress.NONE);

    assertThat(result).isEqualTo(ReplicationResult.ALREADY_PRESENT);
  }

  @Test
  void reportsCopiedBytesToTheProgressCallback() {
    TestImage image = seed("library/app");
    AtomicLong bytes = new AtomicLong();

    replicator.replicate(
        "https://harbor.example.com", entity("library/app", "v1", image), bytes::addAndGet);

    assertThat(bytes.get()).isEqualTo(image.blobBytes());
  }

  @Test
  void failureNamesTheEntityTheSourceAndTheEdge() {
    TestImage image = TestImages.image(Format.OCI, 99, TestBlob.random(990, 10));
    Entity missing = entity("library/missing", "v1", image);

    assertThatThrownBy(
            () -> replicator.replicate("https://harbor.example.com", missing,
                ReplicationProgress.NONE))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith("copy library/missing:v1@" + image.digest() + " from ")
        .hasMessageContaining(upstreamClient.registry())
        .hasMessageContaining(edgeClient.registry())
        .hasCauseInstanceOf(RegistryException.class);
  }

  @Test
  void unknownSourceRegistryFailsWithoutTouchingTheEdge() {
    TestImage image = seed("library/app");

    assertThatThrownBy(
            () -> replicator.replicate("https://other.example.com",
                entity("library/app", "v1", image), ReplicationProgress.NONE))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("https://other.example.com");
    assertThat(edge.requests()).isEmpty();
  }

  @Test
  void aColdCopyAndItsReferrersAskTheEdgeAboutTheManifestOnlyByHead() {
    TestImage image = seed("library/app");

    copyWithReferrers(image);

    assertThat(edge.requests())
        .as("the referrers walk starts from the manifest just put, not from a read of it")
        .filteredOn(r -> r.contains("/manifests/"))
        .containsExactly(
            "HEAD /v2/library/app/manifests/v1",
            "HEAD /v2/library/app/manifests/" + image.digest(),
            "PUT /v2/library/app/manifests/" + image.digest(),
            "PUT /v2/library/app/manifests/v1");
  }

  @Test
  void anImageFoundTaggedAtTheEdgeAndItsReferrersCostTheEdgeOneHead() {
    TestImage image = seed("library/app");
    edge.putManifest("library/app", image.mediaType(), image.manifest(), "v1");

    copyWithReferrers(image);

    assertThat(edge.requests())
        .as("the HEAD of the tag says it is an image: the walk has no child to look for")
        .filteredOn(r -> r.contains("/v2/library/app/"))
        .containsExactly("HEAD /v2/library/app/manifests/v1");
  }

  @Test
  void referrersOfAnImageCopiedByAnotherProcessStartFromTheEdgesManifest() {
    TestImage image = seed("library/app");
    edge.putManifest("library/app", image.mediaType(), image.manifest(), "v1");

    replicator.replicateReferrers("https://harbor.example.com", "library/app", image.digest(),
        Optional.empty(), 1, ReplicationProgress.NONE);

    assertThat(edge.requests())
        .filteredOn(r -> r.contains("/manifests/"))
        .containsExactly("GET /v2/library/app/manifests/" + image.digest());
  }

  @Test
  void deleteManifestRemovesItFromTheEdge() {
    TestImage image = seed("library/app");
    edge.putManifest("library/app", image.mediaType(), image.manifest(), "v1");

    replicator.deleteManifest("library/app", image.digest());

    assertThat(edge.requests()).contains("DELETE /v2/library/app/manifests/" + image.digest());
    assertThat(edge.manifest("library/app", image.digest())).isEmpty();
  }

  @Test
  void deletingAnAbsentManifestIsNotAnError() {
    TestImage image = TestImages.image(Format.OCI, 98, TestBlob.random(980, 10));

    replicator.deleteManifest("library/app", image.digest());

    assertThat(edge.requests()).contains("DELETE /v2/library/app/manifests/" + image.digest());
  }

  /** What a pass does for the image under tag v1: the copy, then its referrers. */
  private void copyWithReferrers(TestImage image) {
    replicator.replicate("https://harbor.example.com", entity("library/app", "v1", image),
        ReplicationProgress.NONE);
    replicator.replicateReferrers("https://harbor.example.com", "library/app", image.digest(),
        Optional.empty(), 1, ReplicationProgress.NONE);
  }

  private TestImage seed(String repository) {
    TestImage image =
        TestImages.image(Format.OCI, 1, TestBlob.random(10, 3000), TestBlob.random(11, 4000));
    image.blobs().forEach(b -> upstream.putBlob(repository, b.bytes()));
    upstream.putManifest(repository, image.mediaType(), image.manifest());
    return image;
  }

  private static Entity entity(String repository, String tag, TestImage image) {
    return new Entity(repository, tag, image.digest());
  }

  private static String url(MockWebServer server) {
    return "http://127.0.0.1:" + server.getPort();
  }
}
