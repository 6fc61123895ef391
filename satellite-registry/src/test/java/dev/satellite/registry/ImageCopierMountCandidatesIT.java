package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Entity;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.ReplicationResult;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.AccessLog;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a restarted process knows: a base layer pushed to the edge by an earlier copier (another
 * process, as far as memory goes) is mounted by a fresh copier told the edge's repositories,
 * without a single upstream GET of it, counted in the upstream's access log.
 */
@RequiresRegistry
class ImageCopierMountCandidatesIT {
  private static DistributionRegistry upstream;
  private static DistributionRegistry edge;
  private static RegistryClient upstreamClient;
  private static RegistryClient edgeClient;

  @BeforeAll
  static void start() {
    upstream = DistributionRegistry.builder().start();
    edge = DistributionRegistry.builder().start();
    upstreamClient = RegistryClient.builder(upstream.baseUrl()).build();
    edgeClient = RegistryClient.builder(edge.baseUrl()).build();
  }

  @AfterAll
  static void stop() {
    upstreamClient.close();
    edgeClient.close();
    upstream.close();
    edge.close();
  }

  @Test
  void freshCopierToldTheEdgeRepositoriesMountsABaseLayerAnEarlierCopierPushed() {
    TestBlob base = TestBlob.random(500, 2_000_000);
    TestImage second = pushPairAndCopyTheFirst(base, "hint/one", "hint/two", 501);
    int mark = upstream.requests().size();

    CopyResult result = copyWithAFreshCopier(second, "hint/two", List.of("hint/one"));

    assertThat(result.blobsMounted()).isEqualTo(1);
    assertThat(upstreamGetsOf(base, mark)).isZero();
    assertThat(edgeClient.headBlob("hint/two", Digest.parse(base.digest())))
        .contains(base.size());
  }

  @Test
  void freshCopierNotToldTheEdgeRepositoriesFetchesTheBaseLayerAgain() {
    TestBlob base = TestBlob.random(510, 2_000_000);
    TestImage second = pushPairAndCopyTheFirst(base, "nohint/one", "nohint/two", 511);
    int mark = upstream.requests().size();

    CopyResult result = copyWithAFreshCopier(second, "nohint/two", List.of());

    assertThat(result.blobsMounted()).isZero();
    assertThat(upstreamGetsOf(base, mark)).isEqualTo(1);
  }

  @Test
  void freshReplicatorGivenTheEdgeRepositoriesMountsTheSharedLayer() {
    TestBlob base = TestBlob.random(520, 2_000_000);
    TestImage second = pushPairAndCopyTheFirst(base, "rep/one", "rep/two", 521);
    int mark = upstream.requests().size();

    ReplicationResult result;
    try (RegistryReplicator fresh = new RegistryReplicator(registry -> upstreamClient, edgeClient)) {
      fresh.edgeRepositories(Set.of("rep/one"));
      result = fresh.replicate(upstream.baseUrl(), new Entity("rep/two", "v1", second.digest()),
          ReplicationProgress.NONE);
    }

    assertThat(result.blobsMounted()).isEqualTo(1);
    assertThat(result.bytesCopied()).isEqualTo(second.blobBytes() - base.size());
    assertThat(upstreamGetsOf(base, mark)).isZero();
  }

  /**
   * Pushes two images sharing {@code base} upstream, copies the first to the edge with a copier
   * that is then closed, and returns the second.
   */
  private static TestImage pushPairAndCopyTheFirst(
      TestBlob base, String firstRepository, String secondRepository, long seed) {
    TestImage first =
        TestImages.image(Format.OCI, seed, base, TestBlob.random(seed * 10, 50_000));
    TestImage second =
        TestImages.image(Format.OCI, seed + 1, base, TestBlob.random(seed * 10 + 1, 50_000));
    ImagePush.push(upstreamClient, firstRepository, first, "v1");
    ImagePush.push(upstreamClient, secondRepository, second, "v1");
    try (ImageCopier earlier = ImageCopier.builder().build()) {
      earlier.copy(CopyRequest.of(upstreamClient, firstRepository, Digest.parse(first.digest()))
              .to(edgeClient, firstRepository)
              .tags(List.of("v1")));
    }
    return second;
  }

  /** Copies {@code image} to the same repository at the edge with a new copier. */
  private static CopyResult copyWithAFreshCopier(
      TestImage image, String repository, List<String> candidates) {
    try (ImageCopier fresh = ImageCopier.builder().build()) {
      fresh.addMountCandidates(edgeClient, candidates);
      return fresh.copy(CopyRequest.of(upstreamClient, repository, Digest.parse(image.digest()))
              .to(edgeClient, repository)
              .tags(List.of("v1")));
    }
  }

  /** Upstream GETs of {@code blob} logged after the first {@code mark} requests. */
  private static long upstreamGetsOf(TestBlob blob, int mark) {
    List<AccessLog.Entry> all = upstream.requests();
    return all.subList(mark, all.size()).stream()
        .filter(e -> e.isBlobGet() && e.path().endsWith("/blobs/" + blob.digest()))
        .count();
  }
}
