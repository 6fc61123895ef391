package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.Reconciler;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.registry.testing.ReferrerFixtures;
import dev.satellite.testing.AccessLog;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.MutableClock;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Referrers between two real CNCF Distribution 2.8 registries, which serve no referrers API: the
 * referrers tag schema on both sides. Upstream, an image carries a cosign signature ({@code .sig})
 * and attestation ({@code .att}), an SBOM that refers to it ({@code subject}) and a signature of
 * that SBOM, each listed in its subject's referrers tag.
 */
@RequiresRegistry
class ReferrersIT {
  private static final String REPO = "proj/app";

  private DistributionRegistry upstreamRegistry;
  private DistributionRegistry edgeRegistry;
  private RegistryClient upstream;
  private RegistryClient edge;
  private StatePublisher publisher;
  private RegistryReplicator replicator;
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final KeyPair keys = ReferrerFixtures.ecKeys();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  private TestImage app;
  private Digest image;
  private Manifest signature;
  private Manifest attestation;
  private Manifest sbom;
  private Manifest sbomSignature;

  @BeforeEach
  void start() {
    upstreamRegistry = DistributionRegistry.builder().start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstream = RegistryClient.builder(upstreamRegistry.baseUrl()).build();
    edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
    publisher = StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
    replicator = RegistryReplicator.builder(registry -> upstream, edge).clock(clock).build();
    app = TestImages.image(Format.OCI, 7, TestBlob.random(7, 32 * 1024));
    image = ImagePush.push(upstream, REPO, app, "v1");
    Descriptor subject = upstream.headManifest(REPO, image.toString()).orElseThrow();
    signature = ReferrerFixtures.pushCosignSignature(upstream, REPO, image, keys.getPrivate(),
        ReferrerFixtures.simpleSigning(upstreamRegistry.hostPort() + "/" + REPO, image));
    attestation = ReferrerFixtures.pushCosignAttestation(upstream, REPO, image);
    sbom = ReferrerFixtures.pushReferrer(upstream, REPO, subject, ReferrerFixtures.SPDX,
        "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\"}".getBytes(StandardCharsets.UTF_8));
    sbomSignature = ReferrerFixtures.pushReferrer(upstream, REPO, sbom.descriptor(),
        ReferrerFixtures.NOTATION_SIG, "signature of the sbom".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c :
        new AutoCloseable[] {replicator, upstream, edge, upstreamRegistry, edgeRegistry}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private String publish(String... images) {
    List<StateImage> list = java.util.Arrays.stream(images)
        .map(s -> s.split(":"))
        .map(p -> new StateImage(p[0], List.of(p[1]), Optional.empty()))
        .toList();
    String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(), list).reference();
    return publisher.publishSatellite("edge-1", List.of(group), Optional.empty()).reference();
  }

  private SyncReport sync(String stateRef) {
    try (OciStateSource source = new OciStateSource(upstream, stateRef)) {
      return Reconciler.builder()
          .stateSource(source)
          .replicator(replicator)
          .stateStore(store)
          .build()
          .sync();
    }
  }

  private Optional<String> atEdge(String reference) {
    return edge.headManifest(REPO, reference).map(d -> d.digest().toString());
  }

  private static String referrersTag(Digest digest) {
    return digest.algorithm() + "-" + digest.hex();
  }

  /** Requests for the application's repository, not for the state artifacts. */
  private List<AccessLog.Entry> upstreamRequestsSince(int before) {
    List<AccessLog.Entry> all = upstreamRegistry.requests();
    return all.subList(before, all.size()).stream()
        .filter(e -> e.inRepositoryUnder(REPO + "/"))
        .toList();
  }

  @Test
  void syncCopiesEveryReferrerWithItsDigestAndListsThemInTheEdgesReferrersTag() {
    SyncReport report = sync(publish(REPO + ":v1"));

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(report.referrersCopied()).isEqualTo(4);
    assertThat(report.toJson()).contains("\"referrersCopied\":4");
    assertThat(atEdge("v1")).contains(image.toString());
    assertThat(atEdge(referrersTag(image) + ".sig")).contains(signature.digest().toString());
    assertThat(atEdge(referrersTag(image) + ".att")).contains(attestation.digest().toString());
    assertThat(edge.getManifest(REPO, sbom.digest().toString()).bytes()).isEqualTo(sbom.bytes());
    assertThat(edge.getManifest(REPO, sbomSignature.digest().toString()).bytes())
        .isEqualTo(sbomSignature.bytes());
    Manifest imageIndex = edge.getManifest(REPO, referrersTag(image));
    assertThat(ReferrerFixtures.listed(imageIndex)).containsExactly(sbom.digest().toString());
    assertThat(imageIndex.bytes()).asString(StandardCharsets.UTF_8)
        .contains("\"artifactType\":\"" + ReferrerFixtures.SPDX + "\"");
    Manifest sbomIndex = edge.getManifest(REPO, referrersTag(sbom.digest()));
    assertThat(ReferrerFixtures.listed(sbomIndex))
        .containsExactly(sbomSignature.digest().toString());
    for (Manifest m : List.of(signature, attestation, sbom, sbomSignature)) {
      for (Descriptor blob : m.blobs()) {
        assertThat(edge.headBlob(REPO, blob.digest())).as("blob of " + m).isPresent();
      }
    }
  }

  @Test
  void withinTheRecheckIntervalAWarmPassAsksNothingAboutReferrers() {
    String state = publish(REPO + ":v1");
    assertThat(sync(state).ok()).isTrue();
    clock.set(clock.instant().plus(Referrers.DEFAULT_RECHECK_INTERVAL).minusSeconds(1));

    int before = upstreamRegistry.requests().size();
    SyncReport warm = sync(state);

    assertThat(warm.ok()).as(warm.toJson()).isTrue();
    assertThat(warm.referrersCopied()).isZero();
    assertThat(upstreamRequestsSince(before)).isEmpty();
  }

  @Test
  void aRecheckOnlyProbesAndALaterReferrerArrivesAtTheNextRecheck() {
    String state = publish(REPO + ":v1");
    assertThat(sync(state).ok()).isTrue();
    clock.set(clock.instant().plus(Referrers.DEFAULT_RECHECK_INTERVAL));

    int before = upstreamRegistry.requests().size();
    SyncReport warm = sync(state);
    List<AccessLog.Entry> warmRequests = upstreamRequestsSince(before);

    assertThat(warm.ok()).as(warm.toJson()).isTrue();
    assertThat(warm.referrersCopied()).isZero();
    // the image's own referrers index is asked about once; nothing is read (GET) but the listing
    assertThat(warmRequests)
        .filteredOn(e -> e.path().endsWith("/manifests/" + referrersTag(image))
            || e.path().contains("/referrers/"))
        .hasSize(1);
    assertThat(warmRequests).filteredOn(e -> e.method().equals("GET"))
        .extracting(AccessLog.Entry::path)
        .containsExactly("/v2/" + REPO + "/tags/list?n=1000");
    // the listing, then one HEAD per referrers tag there is: .sig, .att, the image's and the
    // SBOM's referrers tags
    assertThat(warmRequests).hasSize(5);

    Manifest provenance = ReferrerFixtures.pushReferrer(upstream, REPO,
        upstream.headManifest(REPO, image.toString()).orElseThrow(),
        "application/vnd.in-toto+json", "{\"predicate\":{}}".getBytes(StandardCharsets.UTF_8));
    clock.set(clock.instant().plus(Duration.ofMinutes(4)));
    SyncReport early = sync(state);

    assertThat(early.ok()).as(early.toJson()).isTrue();
    assertThat(early.referrersCopied()).as("the recheck renewed the mark 4 minutes ago").isZero();
    assertThat(atEdge(provenance.digest().toString())).isEmpty();

    clock.set(clock.instant().plus(Duration.ofMinutes(1)));
    SyncReport next = sync(state);

    assertThat(next.ok()).as(next.toJson()).isTrue();
    assertThat(next.referrersCopied()).isEqualTo(1);
    assertThat(atEdge(provenance.digest().toString())).contains(provenance.digest().toString());
    assertThat(ReferrerFixtures.listed(edge.getManifest(REPO, referrersTag(image))))
        .containsExactly(sbom.digest().toString(), provenance.digest().toString());
  }

  @Test
  void aZeroRecheckIntervalLooksEveryPass() {
    replicator.close();
    replicator = RegistryReplicator.builder(registry -> upstream, edge)
        .referrers(Referrers.ALL.recheckInterval(Duration.ZERO)).clock(clock).build();
    String state = publish(REPO + ":v1");
    assertThat(sync(state).ok()).isTrue();

    Manifest provenance = ReferrerFixtures.pushReferrer(upstream, REPO,
        upstream.headManifest(REPO, image.toString()).orElseThrow(),
        "application/vnd.in-toto+json", "{\"predicate\":{}}".getBytes(StandardCharsets.UTF_8));
    SyncReport next = sync(state);

    assertThat(next.ok()).as(next.toJson()).isTrue();
    assertThat(next.referrersCopied()).isEqualTo(1);
    assertThat(atEdge(provenance.digest().toString())).contains(provenance.digest().toString());
  }

  @Test
  void edgeReferrersTagKeepsEntriesAnotherWriterPutThere() {
    assertThat(ImagePush.push(edge, REPO, app)).isEqualTo(image);
    Manifest foreign = ReferrerFixtures.pushReferrer(edge, REPO,
        edge.headManifest(REPO, image.toString()).orElseThrow(),
        "application/vnd.example.scan+json", "{}".getBytes(StandardCharsets.UTF_8));

    SyncReport report = sync(publish(REPO + ":v1"));

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(ReferrerFixtures.listed(edge.getManifest(REPO, referrersTag(image))))
        .containsExactly(foreign.digest().toString(), sbom.digest().toString());
  }

  @Test
  void pruningTheImageRemovesItsReferrersTheirTagsAndItsReferrersTag() {
    Digest other = ImagePush.push(upstream, "proj/other",
        TestImages.image(Format.OCI, 9, TestBlob.random(9, 1024)), "v1");
    assertThat(sync(publish(REPO + ":v1", "proj/other:v1")).ok()).isTrue();
    assertThat(atEdge(referrersTag(image) + ".sig")).isPresent();

    SyncReport pruned = sync(publish("proj/other:v1"));

    assertThat(pruned.ok()).as(pruned.toJson()).isTrue();
    assertThat(pruned.pruned()).isEqualTo(1);
    assertThat(atEdge(image.toString())).isEmpty();
    for (String reference : List.of(referrersTag(image) + ".sig", referrersTag(image) + ".att",
        referrersTag(image), referrersTag(sbom.digest()), signature.digest().toString(),
        attestation.digest().toString(), sbom.digest().toString(),
        sbomSignature.digest().toString())) {
      assertThat(atEdge(reference)).as(reference).isEmpty();
    }
    assertThat(edge.headManifest("proj/other", other.toString())).isPresent();
    assertThat(store.load().orElseThrow().referrers()).containsOnlyKeys("proj/other@" + other);
  }

  @Test
  void referrersOfEachPlatformOfAMultiArchImageTravelWithIt() {
    Digest index = ImagePush.push(upstream, "proj/multi",
        TestImages.multiArch(Format.OCI, 40, TestBlob.random(40, 2048)), "v1");
    Descriptor arm = upstream.getManifest("proj/multi", index.toString()).children().get(1);
    Manifest armSbom = ReferrerFixtures.pushReferrer(upstream, "proj/multi", arm,
        ReferrerFixtures.SPDX, "{\"name\":\"arm\"}".getBytes(StandardCharsets.UTF_8));
    Manifest indexSignature = ReferrerFixtures.pushCosignSignature(upstream, "proj/multi", index,
        keys.getPrivate(), ReferrerFixtures.simpleSigning("proj/multi", index));

    SyncReport report = sync(publish("proj/multi:v1"));

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(report.referrersCopied()).isEqualTo(2);
    assertThat(edge.headManifest("proj/multi", referrersTag(index) + ".sig").orElseThrow()
        .digest()).isEqualTo(indexSignature.digest());
    assertThat(ReferrerFixtures.listed(edge.getManifest("proj/multi", referrersTag(arm.digest()))))
        .containsExactly(armSbom.digest().toString());
  }

  @Test
  void referrersNoneCopiesTheImageAlone() {
    replicator.close();
    replicator = RegistryReplicator.builder(registry -> upstream, edge)
        .referrers(Referrers.NONE).build();

    SyncReport report = sync(publish(REPO + ":v1"));

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(report.referrersCopied()).isZero();
    assertThat(atEdge("v1")).contains(image.toString());
    assertThat(edge.listTags(REPO)).containsExactly("v1");
  }

  @Test
  void artifactTypeFilterCopiesOnlyThoseReferrers() {
    replicator.close();
    replicator = RegistryReplicator.builder(registry -> upstream, edge)
        .referrers(Referrers.ofTypes(ReferrerFixtures.SPDX, ReferrerFixtures.SIMPLE_SIGNING))
        .build();

    SyncReport report = sync(publish(REPO + ":v1"));

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(report.referrersCopied()).isEqualTo(2);
    assertThat(atEdge(referrersTag(image) + ".sig")).isPresent();
    assertThat(atEdge(referrersTag(image) + ".att")).isEmpty();
    assertThat(atEdge(sbom.digest().toString())).isPresent();
    assertThat(atEdge(sbomSignature.digest().toString())).isEmpty();
  }
}
