package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.testing.FakeRegistry;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.registry.testing.faults.Fault;
import dev.satellite.registry.testing.faults.SyncRig;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestCertificates;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries that answer with hostile content, end to end through the Reconciler, next to a good
 * entity of the same group: each bad entity fails on its own with a clear reason, nothing of it is
 * committed or tagged at the edge, and the good entity is synced. Client-level counterparts:
 * {@link ManifestClientTest#getManifestByDigestVerifiesContent}, {@link
 * ManifestClientTest#getManifestRejectsDeclaredOversizedBody}, {@link
 * BlobClientTest#openBlobThrowsDigestMismatchAtEndOfStream}, {@link
 * ImageCopierTest#digestMismatchFailsAndCommitsNothing}, {@link
 * BasicAuthTest#dropsCredentialsOnRedirectToAnotherHost}, {@link
 * TlsOptionsTest#verifiesHostNameEvenWithTrustedCa}, {@link
 * BearerAuthTest#refreshesTokenOnceOn401ThenFailsClearly}.
 */
@RequiresRegistry
class RegistryHostileInputIT {
  private static SyncRig rig;
  private static Digest good;
  private static final AtomicInteger SEEDS = new AtomicInteger(100);

  private final InMemoryStateStore store = new InMemoryStateStore();
  private MockWebServer other;

  @BeforeAll
  static void start() {
    rig = new SyncRig();
    good = rig.push("good/app", 1);
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @AfterEach
  void disarm() {
    rig.upstreamProxy.clearFaults();
    if (other != null) {
      other.close();
    }
  }

  /** Syncs one group holding {@code good/app:v1} and {@code bad}, from {@code registry}. */
  private SyncReport sync(String registry, String bad, Function<String, RegistryClient> clients) {
    String ref = rig.publishRawGroup("mixed", SyncRig.groupJson(rig.upstreamProxy.baseUrl(),
        SyncRig.entryJson("good/app", "v1", good.toString())).getBytes(StandardCharsets.UTF_8));
    String otherRef = rig.publishRawGroup("other", SyncRig.groupJson(registry, bad)
        .getBytes(StandardCharsets.UTF_8));
    String state = rig.publishSatellite(List.of(ref, otherRef));
    try (ImageCopier copier = ImageCopier.builder().retryDelayMillis(10).build()) {
      return rig.sync(state, store, copier, b -> {}, clients);
    }
  }

  private SyncReport syncFromUpstream(String repository, Digest digest) {
    return sync(rig.upstreamProxy.baseUrl(),
        SyncRig.entryJson(repository, "v1", digest.toString()), null);
  }

  private void assertOnlyTheBadEntityFailed(SyncReport report, String repository,
      String... reasonParts) {
    assertThat(report.failures()).as(report.toJson()).singleElement().satisfies(f -> {
      assertThat(f.repository() + ":" + f.tag()).isEqualTo(repository + ":v1");
      assertThat(f.operation()).isEqualTo(SyncReport.Operation.REPLICATE);
      assertThat(f.reason()).contains(reasonParts);
    });
    assertThat(rig.edgeTags(List.of("good/app"))).containsEntry("good/app:v1", good.toString());
    assertThat(rig.edgeDirect.listTags(repository)).as("nothing tagged at the edge").isEmpty();
    assertThat(SyncRig.checkpointTags(store.load().orElseThrow()))
        .doesNotContainKey(repository + ":v1");
  }

  private TestImage image(String repository) {
    TestImage image = TestImages.image(TestImages.Format.OCI, SEEDS.incrementAndGet(),
        TestBlob.random(SEEDS.get(), 16 * 1024));
    ImagePush.push(rig.upstream, repository, image);
    return image;
  }

  @Test
  void manifestWhoseBytesDoNotMatchTheDigestFailsOnlyItsEntity() {
    TestImage image = image("bad/manifest");
    rig.upstreamProxy.inject("GET", "/v2/bad/manifest/manifests/.+", Integer.MAX_VALUE,
        Fault.corruptByteAt(40));

    SyncReport report = syncFromUpstream("bad/manifest", Digest.parse(image.digest()));

    assertOnlyTheBadEntityFailed(report, "bad/manifest", "digest mismatch", image.digest());
    assertThat(rig.edgeDirect.headManifest("bad/manifest", image.digest())).isEmpty();
  }

  @Test
  void blobWhoseBytesDoNotMatchItsDigestIsNeverCommittedAtTheEdge() {
    TestImage image = image("bad/blob");
    String layer = image.layers().get(0).digest();
    rig.upstreamProxy.inject("GET", "/v2/bad/blob/blobs/" + layer, Integer.MAX_VALUE,
        Fault.corruptByteAt(5000));

    SyncReport report = syncFromUpstream("bad/blob", Digest.parse(image.digest()));

    assertOnlyTheBadEntityFailed(report, "bad/blob", "digest mismatch", layer);
    assertThat(rig.edgeDirect.headBlob("bad/blob", Digest.parse(layer))).isEmpty();
    assertThat(rig.upstreamProxy.exchanges("GET", "/v2/bad/blob/blobs/" + layer))
        .as("a mismatch is not retried").hasSize(1);
  }

  @Test
  void manifestLargerThanTheCapIsRefusedBeforeItIsRead() {
    TestImage image = image("bad/huge");
    rig.upstreamProxy.inject("GET", "/v2/bad/huge/manifests/.+", Integer.MAX_VALUE,
        Fault.oversizedBody(MediaTypes.OCI_MANIFEST, 64L * 1024 * 1024));

    SyncReport report = syncFromUpstream("bad/huge", Digest.parse(image.digest()));

    assertOnlyTheBadEntityFailed(report, "bad/huge", "over the limit of "
        + RegistryClient.MAX_MANIFEST_BYTES + " bytes");
  }

  @Test
  void redirectToAnotherHostCarriesNoCredentialsAndTheCopyCompletes() throws Exception {
    TestImage image = image("redirected/app");
    TestBlob layer = image.layers().get(0);
    List<String> authorizations = new CopyOnWriteArrayList<>();
    other = new MockWebServer();
    other.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
        return new MockResponse.Builder().body(new okio.Buffer().write(layer.bytes())).build();
      }
    });
    other.start();
    rig.upstreamProxy.inject("GET", "/v2/redirected/app/blobs/" + layer.digest(), 1,
        Fault.redirect("http://localhost:" + other.getPort() + "/storage/" + layer.digest()));

    SyncReport report = syncFromUpstream("redirected/app", Digest.parse(image.digest()));

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(authorizations).containsExactly("null");
    assertThat(rig.upstreamProxy.exchanges("GET", "/v2/redirected/app/blobs/.+"))
        .as("the registry itself did get the credentials")
        .allMatch(e -> e.authorization());
    assertThat(rig.edgeTags(List.of("redirected/app")))
        .containsEntry("redirected/app:v1", image.digest());
  }

  @Test
  void certificateForAnotherHostNameIsRejectedUnlessSkipVerifyIsSet(@TempDir Path dir)
      throws Exception {
    TestCertificates.Authority ca = TestCertificates.authority(dir, "ca");
    HeldCertificate wrongName = new HeldCertificate.Builder()
        .addSubjectAlternativeName("registry.other.example")
        .signedBy(ca.certificate())
        .build();
    FakeRegistry fake = new FakeRegistry();
    TestImage image = TestImages.image(TestImages.Format.OCI, 7, TestBlob.random(7, 4096));
    image.blobs().forEach(b -> fake.putBlob("tls/app", b.bytes()));
    fake.putManifest("tls/app", image.mediaType(), image.manifest());
    other = new MockWebServer();
    other.setDispatcher(fake);
    other.useHttps(new HandshakeCertificates.Builder()
        .heldCertificate(wrongName, ca.certificate().certificate()).build().sslSocketFactory());
    other.start();
    String registry = "https://localhost:" + other.getPort();
    String entry = SyncRig.entryJson("tls/app", "v1", image.digest());

    SyncReport refused = sync(registry, entry, url -> RegistryClient.builder(url)
        .tls(TlsOptions.builder().trustedCertificates(ca.certificatePem()).build()).build());

    assertOnlyTheBadEntityFailed(refused, "tls/app", "TLS handshake with localhost:"
        + other.getPort());
    assertThat(fake.requests()).isEmpty();

    SyncReport skipped = sync(registry, entry, url -> RegistryClient.builder(url)
        .tls(TlsOptions.builder().insecureSkipVerify().build()).build());

    assertThat(skipped.ok()).as(skipped.toJson()).isTrue();
    assertThat(rig.edgeTags(List.of("tls/app"))).isEqualTo(Map.of("tls/app:v1", image.digest()));
  }

  @Test
  void revokedBearerTokenIsRefreshedOnceThenTheEntityFailsClearly() throws Exception {
    AtomicInteger tokens = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    other = new MockWebServer();
    other.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getUrl().encodedPath().equals("/token")) {
          return new MockResponse.Builder()
              .body("{\"token\": \"revoked-token-" + tokens.incrementAndGet()
                  + "\", \"expires_in\": 300}")
              .build();
        }
        refused.incrementAndGet();
        return new MockResponse.Builder().code(401)
            .addHeader("WWW-Authenticate", "Bearer realm=\"http://localhost:" + other.getPort()
                + "/token\",service=\"fake\",scope=\"repository:token/app:pull\"")
            .build();
      }
    });
    other.start();
    Digest digest = Digest.of("any".getBytes(StandardCharsets.UTF_8));

    SyncReport report = sync("http://localhost:" + other.getPort(),
        SyncRig.entryJson("token/app", "v1", digest.toString()),
        url -> RegistryClient.builder(url).credentials(Credentials.basic("robot", "pw-9931"))
            .build());

    assertOnlyTheBadEntityFailed(report, "token/app", "401");
    assertThat(tokens.get()).as("one token, then one refresh").isEqualTo(2);
    assertThat(refused.get()).isEqualTo(3);
    assertThat(report.toJson()).doesNotContain("revoked-token-", "pw-9931");
  }
}
