package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Entity;
import dev.satellite.core.ReferrersResult;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.registry.testing.ReferrerFixtures;
import dev.satellite.testing.MutableClock;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Referrers copied from a source that serves the referrers API ({@code GET
 * /v2/<name>/referrers/<digest>}, {@code OCI-Filters-Applied}, {@code Link} pages), to an edge
 * that answers {@code OCI-Subject} (no referrers tag written) or does not (referrers tag kept).
 */
class ReferrersApiReplicationTest {
  private static final String REPO = "proj/app";
  private static final String SPDX = ReferrerFixtures.SPDX;

  private final ReferrersApiRegistry upstreamFake = new ReferrersApiRegistry();
  private final ReferrersApiRegistry edgeFake = new ReferrersApiRegistry();
  private MockWebServer upstreamServer;
  private MockWebServer edgeServer;
  private RegistryClient upstream;
  private RegistryClient edge;
  private Digest image;
  private Manifest sbom;
  private Manifest scan;
  private Manifest sbomSignature;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    upstreamServer = new MockWebServer();
    upstreamServer.setDispatcher(upstreamFake);
    upstreamServer.start();
    edgeServer = new MockWebServer();
    edgeServer.setDispatcher(edgeFake);
    edgeServer.start();
    upstream = RegistryClient.builder(ClientTestSupport.baseUrl(upstreamServer)).build();
    edge = RegistryClient.builder(ClientTestSupport.baseUrl(edgeServer)).build();
    image = ImagePush.push(upstream, REPO,
        TestImages.image(Format.OCI, 3, TestBlob.random(3, 4096)), "v1");
    Descriptor subject = upstream.headManifest(REPO, image.toString()).orElseThrow();
    sbom = ReferrerFixtures.pushUnlistedReferrer(upstream, REPO, subject, SPDX,
        "{\"name\":\"app\"}".getBytes(StandardCharsets.UTF_8));
    scan = ReferrerFixtures.pushUnlistedReferrer(upstream, REPO, subject,
        "application/vnd.example.scan+json", "{}".getBytes(StandardCharsets.UTF_8));
    sbomSignature = ReferrerFixtures.pushUnlistedReferrer(upstream, REPO, sbom.descriptor(),
        ReferrerFixtures.NOTATION_SIG, "sig".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    upstreamServer.close();
    edgeServer.close();
  }

  private RegistryReplicator replicator(Referrers referrers) {
    return RegistryReplicator.builder(registry -> upstream, edge).referrers(referrers)
        .clock(clock).build();
  }

  private ReferrersResult copy(RegistryReplicator replicator, Optional<String> mark, long pass) {
    replicator.replicate("upstream", new Entity(REPO, "v1", image.toString()),
        ReplicationProgress.NONE);
    return replicator.replicateReferrers("upstream", REPO, image.toString(), mark, pass,
        ReplicationProgress.NONE).orElseThrow();
  }

  private static String referrersTag(Digest digest) {
    return digest.algorithm() + "-" + digest.hex();
  }

  @Test
  void referrersListedByTheApiLandByDigestAndAnEdgeSayingOciSubjectGetsNoReferrersTag() {
    try (RegistryReplicator replicator = replicator(Referrers.ALL)) {
      ReferrersResult result = copy(replicator, Optional.empty(), 1);

      assertThat(result.copied()).isEqualTo(3);
      assertThat(result.unchanged()).isFalse();
    }
    for (Manifest m : new Manifest[] {sbom, scan, sbomSignature}) {
      assertThat(edgeFake.store.manifest(REPO, m.digest().toString())).contains(m.bytes());
    }
    assertThat(edgeFake.store.requests())
        .noneMatch(r -> r.startsWith("PUT /v2/proj/app/manifests/sha256-"));
    assertThat(upstreamFake.referrerRequests()).containsExactlyInAnyOrder(
        "GET /v2/proj/app/referrers/" + image,
        "GET /v2/proj/app/referrers/" + sbom.digest(),
        "GET /v2/proj/app/referrers/" + scan.digest(),
        "GET /v2/proj/app/referrers/" + sbomSignature.digest());
    assertThat(upstreamFake.store.requests())
        .noneMatch(r -> r.contains("/manifests/sha256-"));
  }

  @Test
  void anEdgeWithoutOciSubjectGetsTheReferrersTagListingThem() {
    edgeFake.reportsSubject = false;
    try (RegistryReplicator replicator = replicator(Referrers.ALL)) {
      copy(replicator, Optional.empty(), 1);
    }

    Manifest imageIndex = Manifest.of(MediaTypes.OCI_INDEX,
        edgeFake.store.manifest(REPO, referrersTag(image)).orElseThrow());
    assertThat(ReferrerFixtures.listed(imageIndex))
        .containsExactlyInAnyOrder(sbom.digest().toString(), scan.digest().toString());
    Manifest sbomIndex = Manifest.of(MediaTypes.OCI_INDEX,
        edgeFake.store.manifest(REPO, referrersTag(sbom.digest())).orElseThrow());
    assertThat(ReferrerFixtures.listed(sbomIndex))
        .containsExactly(sbomSignature.digest().toString());
  }

  @Test
  void aRecheckWithItsMarkOnlyAsksTheApiAndCopiesNothing() {
    try (RegistryReplicator replicator = replicator(Referrers.ALL)) {
      ReferrersResult first = copy(replicator, Optional.empty(), 1);
      int upstreamRequests = upstreamFake.store.requests().size();

      ReferrersResult young = replicator.replicateReferrers("upstream", REPO, image.toString(),
          Optional.of(first.mark()), 2, ReplicationProgress.NONE).orElseThrow();

      assertThat(young.unchanged()).isTrue();
      assertThat(young.mark()).isEqualTo(first.mark());
      assertThat(upstreamFake.store.requests()).hasSize(upstreamRequests);

      clock.set(clock.instant().plus(Referrers.DEFAULT_RECHECK_INTERVAL));
      int upstreamBefore = upstreamFake.store.requests().size();
      int apiBefore = upstreamFake.referrerRequests().size();
      int edgeBefore = edgeFake.store.requests().size();

      ReferrersResult warm = replicator.replicateReferrers("upstream", REPO, image.toString(),
          Optional.of(first.mark()), 2, ReplicationProgress.NONE).orElseThrow();

      assertThat(warm.unchanged()).isTrue();
      assertThat(warm.copied()).isZero();
      // the same fingerprint and nodes, looked at again now
      assertThat(warm.mark()).isEqualTo(first.mark().replace(" 2026-12-01T10:00:00Z ",
          " 2026-12-01T10:05:00Z "));
      assertThat(upstreamFake.store.requests().subList(upstreamBefore,
          upstreamFake.store.requests().size()))
          .containsExactly("GET /v2/proj/app/tags/list?n=1000");
      // one referrers request per node whose referrers were read: the image, and each referrer
      // above the last level
      assertThat(upstreamFake.referrerRequests().size() - apiBefore).isEqualTo(4);
      assertThat(edgeFake.store.requests()).hasSize(edgeBefore);

      Manifest later = ReferrerFixtures.pushUnlistedReferrer(upstream, REPO,
          upstream.headManifest(REPO, image.toString()).orElseThrow(), SPDX,
          "{\"name\":\"later\"}".getBytes(StandardCharsets.UTF_8));
      clock.set(clock.instant().plus(Referrers.DEFAULT_RECHECK_INTERVAL));
      ReferrersResult changed = replicator.replicateReferrers("upstream", REPO,
          image.toString(), Optional.of(warm.mark()), 3, ReplicationProgress.NONE)
          .orElseThrow();

      assertThat(changed.unchanged()).isFalse();
      assertThat(changed.copied()).isEqualTo(1);
      assertThat(edgeFake.store.manifest(REPO, later.digest().toString())).isPresent();
    }
  }

  @Test
  void oneArtifactTypeIsAskedOfTheRegistryWhichFiltersIt() {
    try (RegistryReplicator replicator = replicator(Referrers.ofTypes(SPDX))) {
      assertThat(copy(replicator, Optional.empty(), 1).copied()).isEqualTo(1);
    }

    assertThat(upstreamFake.referrerRequests())
        .contains("GET /v2/proj/app/referrers/" + image + "?artifactType=" + SPDX);
    assertThat(edgeFake.store.manifest(REPO, sbom.digest().toString())).isPresent();
    assertThat(edgeFake.store.manifest(REPO, scan.digest().toString())).isEmpty();
  }

  @Test
  void aFilterTheRegistryDoesNotApplyIsAppliedHere() {
    upstreamFake.appliesFilters = false;
    try (RegistryReplicator replicator = replicator(Referrers.ofTypes(SPDX))) {
      assertThat(copy(replicator, Optional.empty(), 1).copied()).isEqualTo(1);
    }

    assertThat(edgeFake.store.manifest(REPO, sbom.digest().toString())).isPresent();
    assertThat(edgeFake.store.manifest(REPO, scan.digest().toString())).isEmpty();
  }

  @Test
  void everyLinkedPageOfReferrersIsCopied() {
    upstreamFake.pageSize = 1;
    try (RegistryReplicator replicator = replicator(Referrers.ALL)) {
      assertThat(copy(replicator, Optional.empty(), 1).copied()).isEqualTo(3);
    }

    assertThat(upstreamFake.referrerRequests())
        .contains("GET /v2/proj/app/referrers/" + image + "?page=1");
    assertThat(edgeFake.store.manifest(REPO, scan.digest().toString())).isPresent();
  }
}
