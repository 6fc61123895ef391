package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.SyncReport;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.Referrers;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.SignaturePolicy;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link Satellite} with a signature policy, between two real registries: the signed image
 * lands with its cosign signature, the unsigned one is refused (the registry module's tests cover
 * the referrer schemes and each way a signature can fail).
 */
@RequiresRegistry
class SatelliteReferrersIT {
  @TempDir Path temp;
  private DistributionRegistry upstreamRegistry;
  private DistributionRegistry edgeRegistry;
  private RegistryClient upstream;
  private RegistryClient edge;

  @BeforeEach
  void start() {
    upstreamRegistry = DistributionRegistry.builder().start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstream = RegistryClient.builder(upstreamRegistry.baseUrl()).build();
    edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {upstream, edge, upstreamRegistry, edgeRegistry}) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  /** What {@code cosign sign --key} pushes: tag sha256-<hex>.sig, one signed payload layer. */
  private Manifest sign(String repository, Digest image, KeyPair keys) throws Exception {
    byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + repository
        + "\"},\"image\":{\"docker-manifest-digest\":\"" + image + "\"},"
        + "\"type\":\"cosign container image signature\"},\"optional\":null}")
        .getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(payload);
    byte[] config = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{}}"
        .getBytes(StandardCharsets.UTF_8);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\""
        + upstream.pushBlob(repository, config) + "\",\"size\":" + config.length + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\","
        + "\"digest\":\"" + upstream.pushBlob(repository, payload) + "\",\"size\":"
        + payload.length + ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\""
        + Base64.getEncoder().encodeToString(signer.sign()) + "\"}}]}";
    Manifest signature =
        Manifest.of(MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    upstream.putManifest(repository, "sha256-" + image.hex() + ".sig", signature);
    return signature;
  }

  @Test
  void signedImageLandsWithItsSignatureAndAnUnsignedOneIsRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    Digest signed = Digest.parse(upstreamRegistry.push("app/signed",
        TestImages.image(Format.OCI, 1, TestBlob.random(1, 4096)), "v1"));
    Manifest signature = sign("app/signed", signed, keys);
    upstreamRegistry.push("app/unsigned",
        TestImages.image(Format.OCI, 2, TestBlob.random(2, 4096)), "v1");
    StatePublisher publisher =
        StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
    String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(), List.of(
        new StateImage("app/signed", List.of("v1"), Optional.empty()),
        new StateImage("app/unsigned", List.of("v1"), Optional.empty()))).reference();
    String state =
        publisher.publishSatellite("edge-1", List.of(group), Optional.empty()).reference();

    SyncReport report;
    try (Satellite satellite = Satellite.builder().upstream(upstream, state).edge(edge)
        .stateDirectory(temp.resolve("state"))
        .referrers(Referrers.ALL)
        .signaturePolicy(SignaturePolicy.publicKeys(keys.getPublic()))
        .build()) {
      report = satellite.syncOnce();
    }

    assertThat(report.replicated()).as(report.toJson()).isEqualTo(1);
    assertThat(report.failures()).singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("signature policy: image app/unsigned@")
            .contains("is unsigned"));
    assertThat(edge.headManifest("app/signed", "sha256-" + signed.hex() + ".sig").orElseThrow()
        .digest()).isEqualTo(signature.digest());
    assertThat(edge.listTags("app/unsigned")).isEmpty();
  }
}
