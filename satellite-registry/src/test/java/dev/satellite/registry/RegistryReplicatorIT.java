package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Entity;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.ReplicationResult;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replicator between a real upstream (Basic auth) and a real edge registry. */
@RequiresRegistry
class RegistryReplicatorIT {
  private static DistributionRegistry upstream;
  private static DistributionRegistry edge;
  private static RegistryClient upstreamClient;
  private static RegistryClient edgeClient;
  private static RegistryReplicator replicator;

  @BeforeAll
  static void start() {
    upstream = DistributionRegistry.builder().basicAuth("robot", "robot-secret").start();
    edge = DistributionRegistry.builder().start();
    upstreamClient =
        RegistryClient.builder(upstream.baseUrl())
            .credentials(Credentials.basic(upstream.username(), upstream.password()))
            .build();
    edgeClient = RegistryClient.builder(edge.baseUrl()).build();
    replicator = new RegistryReplicator(registry -> upstreamClient, edgeClient);
  }

  @AfterAll
  static void stop() {
    replicator.close();
    upstreamClient.close();
    edgeClient.close();
    upstream.close();
    edge.close();
  }

  @Test
  void replicatesAnEntityAndThenFindsItAlreadyPresent() {
    TestImage image = push("rep/app", 1);
    Entity entity = new Entity("rep/app", "v1", image.digest());

    ReplicationResult first = replicator.replicate(upstream.baseUrl(), entity,
        ReplicationProgress.NONE);
    ReplicationResult second = replicator.replicate(upstream.baseUrl(), entity,
        ReplicationProgress.NONE);

    assertThat(first.blobsUploaded()).isEqualTo(3);
    assertThat(first.bytesCopied()).isEqualTo(image.blobBytes());
    assertThat(second.alreadyPresent()).isTrue();
    assertThat(edgeClient.headManifest("rep/app", "v1").orElseThrow().digest().toString())
        .isEqualTo(image.digest());
  }

  @Test
  void deleteManifestRemovesTheImageAndItsTagFromTheEdge() {
    TestImage image = push("del/app", 2);
    replicator.replicate(upstream.baseUrl(), new Entity("del/app", "v1", image.digest()),
        ReplicationProgress.NONE);

    replicator.deleteManifest("del/app", image.digest());

    assertThat(edgeClient.headManifest("del/app", image.digest())).isEmpty();
    assertThat(edgeClient.headManifest("del/app", "v1")).isEmpty();
  }

  @Test
  void deletingAManifestTwiceIsNotAnError() {
    TestImage image = push("twice/app", 3);
    replicator.replicate(upstream.baseUrl(), new Entity("twice/app", "v1", image.digest()),
        ReplicationProgress.NONE);
    replicator.deleteManifest("twice/app", image.digest());

    replicator.deleteManifest("twice/app", image.digest());

    assertThat(edgeClient.headManifest("twice/app", image.digest())).isEmpty();
  }

  private static TestImage push(String repository, long seed) {
    TestImage image =
        TestImages.image(Format.OCI, seed, TestBlob.random(seed * 10, 20_000),
            TestBlob.random(seed * 10 + 1, 3000));
    ImagePush.push(upstreamClient, repository, image);
    return image;
  }
}
