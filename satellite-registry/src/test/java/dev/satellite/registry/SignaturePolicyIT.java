package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Entity;
import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.Reconciler;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.registry.testing.ReferrerFixtures;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SignaturePolicy} between two real Distribution registries, with keys and cosign
 * signatures made in the test: a signed image lands with its signature; an unsigned one, one
 * signed with another key, one whose signature names another digest, and one with a malformed
 * payload each fail with a reason naming the image and the key check, and nothing is tagged.
 */
@RequiresRegistry
class SignaturePolicyIT {
  private static DistributionRegistry upstreamRegistry;
  private static DistributionRegistry edgeRegistry;
  private static RegistryClient upstream;
  private static RegistryClient edge;
  private static final KeyPair EC = ReferrerFixtures.ecKeys();
  private static final KeyPair RSA = ReferrerFixtures.rsaKeys();
  private static final KeyPair OTHER = ReferrerFixtures.ecKeys();
  private static int seed = 100;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    upstreamRegistry = DistributionRegistry.builder().start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstream = RegistryClient.builder(upstreamRegistry.baseUrl()).build();
    edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {upstream, edge, upstreamRegistry, edgeRegistry}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private static Digest pushImage(String repository) {
    seed++;
    return ImagePush.push(upstream, repository,
        TestImages.image(Format.OCI, seed, TestBlob.random(seed, 2048)), "v1");
  }

  private static byte[] payloadFor(String repository, Digest digest) {
    return ReferrerFixtures.simpleSigning(upstreamRegistry.hostPort() + "/" + repository, digest);
  }

  private static void replicate(SignaturePolicy policy, String repository, Digest digest) {
    try (RegistryReplicator replicator = RegistryReplicator.builder(registry -> upstream, edge)
        .signaturePolicy(policy).build()) {
      replicator.replicate("upstream", new Entity(repository, "v1", digest.toString()),
          ReplicationProgress.NONE);
    }
  }

  private static void assertRefused(SignaturePolicy policy, String repository, Digest digest,
      String why) {
    assertThatThrownBy(() -> replicate(policy, repository, digest))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("signature policy: image " + repository + "@" + digest)
        .hasMessageContaining(why);
    assertThat(edge.listTags(repository)).isEmpty();
    assertThat(edge.headManifest(repository, digest.toString())).isEmpty();
  }

  @Test
  void imageSignedWithTheKeyLandsWithItsSignature() {
    Digest image = pushImage("signed/ec");
    Manifest signature = ReferrerFixtures.pushCosignSignature(upstream, "signed/ec", image,
        EC.getPrivate(), payloadFor("signed/ec", image));

    replicate(SignaturePolicy.publicKeys(OTHER.getPublic(), EC.getPublic()), "signed/ec", image);

    assertThat(edge.headManifest("signed/ec", "v1").orElseThrow().digest()).isEqualTo(image);
    assertThat(edge.getManifest("signed/ec", "sha256-" + image.hex() + ".sig").bytes())
        .isEqualTo(signature.bytes());
  }

  @Test
  void rsaSignatureVerifies() {
    Digest image = pushImage("signed/rsa");
    ReferrerFixtures.pushCosignSignature(upstream, "signed/rsa", image, RSA.getPrivate(),
        payloadFor("signed/rsa", image));

    replicate(SignaturePolicy.publicKeys(RSA.getPublic()), "signed/rsa", image);

    assertThat(edge.headManifest("signed/rsa", "v1")).isPresent();
  }

  @Test
  void publicKeyFromAPemFileVerifies() throws Exception {
    Digest image = pushImage("signed/pem");
    ReferrerFixtures.pushCosignSignature(upstream, "signed/pem", image, EC.getPrivate(),
        payloadFor("signed/pem", image));
    Path pem = dir.resolve("cosign.pub");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(EC.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");

    replicate(SignaturePolicy.publicKeyFiles(pem), "signed/pem", image);

    assertThat(edge.headManifest("signed/pem", "v1")).isPresent();
  }

  @Test
  void pemFileWithoutAPublicKeyIsRefusedNamingIt() throws Exception {
    Path pem = dir.resolve("not-a-key.pem");
    Files.writeString(pem, "hello\n");

    assertThatThrownBy(() -> SignaturePolicy.publicKeyFiles(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pem.toString())
        .hasMessageContaining("no PEM PUBLIC KEY");
  }

  @Test
  void unsignedImageFailsAndIsNotTagged() {
    Digest image = pushImage("unsigned/app");

    assertRefused(SignaturePolicy.publicKeys(EC.getPublic()), "unsigned/app", image,
        "is unsigned: no cosign signature unsigned/app:sha256-" + image.hex() + ".sig");
  }

  @Test
  void imageSignedWithAnotherKeyFailsAndIsNotTagged() {
    Digest image = pushImage("other/key");
    ReferrerFixtures.pushCosignSignature(upstream, "other/key", image, OTHER.getPrivate(),
        payloadFor("other/key", image));

    assertRefused(SignaturePolicy.publicKeys(EC.getPublic(), RSA.getPublic()), "other/key",
        image, "signature 1 does not verify with the 2 configured public keys");
  }

  @Test
  void signatureOverAnotherDigestFailsAndIsNotTagged() {
    Digest image = pushImage("other/digest");
    Digest another = pushImage("other/elsewhere");
    ReferrerFixtures.pushCosignSignature(upstream, "other/digest", image, EC.getPrivate(),
        payloadFor("other/digest", another));

    assertRefused(SignaturePolicy.publicKeys(EC.getPublic()), "other/digest", image,
        "verifies with key 1 but signs " + another + ", not " + image);
  }

  @Test
  void malformedPayloadFailsAndIsNotTagged() {
    Digest image = pushImage("malformed/payload");
    ReferrerFixtures.pushCosignSignature(upstream, "malformed/payload", image, EC.getPrivate(),
        "{\"critical\":{\"type\":\"something else\"}}".getBytes(StandardCharsets.UTF_8));

    assertRefused(SignaturePolicy.publicKeys(EC.getPublic()), "malformed/payload", image,
        "is not a simple-signing payload");
  }

  @Test
  void signatureThatIsNotBase64FailsAndIsNotTagged() {
    Digest image = pushImage("malformed/signature");
    ReferrerFixtures.pushCosignSignature(upstream, "malformed/signature", image,
        payloadFor("malformed/signature", image), "not base64!");

    assertRefused(SignaturePolicy.publicKeys(EC.getPublic()), "malformed/signature", image,
        "signature 1 is malformed");
  }

  @Test
  void reconcilerReportsTheRefusedImageAndPlacesTheSignedOne() {
    Digest signed = pushImage("sync/signed");
    ReferrerFixtures.pushCosignSignature(upstream, "sync/signed", signed, EC.getPrivate(),
        payloadFor("sync/signed", signed));
    Digest unsigned = pushImage("sync/unsigned");
    StatePublisher publisher =
        StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
    String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(), List.of(
        new StateImage("sync/signed", List.of("v1"), Optional.empty()),
        new StateImage("sync/unsigned", List.of("v1"), Optional.empty()))).reference();
    String state =
        publisher.publishSatellite("edge-1", List.of(group), Optional.empty()).reference();

    SyncReport report;
    try (OciStateSource source = new OciStateSource(upstream, state);
        RegistryReplicator replicator = RegistryReplicator.builder(registry -> upstream, edge)
            .signaturePolicy(SignaturePolicy.publicKeys(EC.getPublic())).build()) {
      report = Reconciler.builder().stateSource(source).replicator(replicator)
          .stateStore(new InMemoryStateStore()).build().sync();
    }

    assertThat(report.replicated()).as(report.toJson()).isEqualTo(1);
    assertThat(report.failures()).singleElement().satisfies(f -> {
      assertThat(f.repository()).isEqualTo("sync/unsigned");
      assertThat(f.operation()).isEqualTo(SyncReport.Operation.REFUSE);
      assertThat(f.reason()).contains("signature policy: image sync/unsigned@" + unsigned)
          .contains("is unsigned");
    });
    assertThat(edge.headManifest("sync/signed", "sha256-" + signed.hex() + ".sig")).isPresent();
    assertThat(edge.listTags("sync/unsigned")).isEmpty();
  }
}
