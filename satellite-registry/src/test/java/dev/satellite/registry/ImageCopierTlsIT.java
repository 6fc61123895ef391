package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestCertificates;
import dev.satellite.testing.TestCertificates.Authority;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull and push over separate TLS: the source registry's certificate is issued by CA-A, the
 * destination's by CA-B, and each client trusts only its own CA. A third registry requires a
 * client certificate issued by CA-C (mutual TLS).
 */
@RequiresRegistry
class ImageCopierTlsIT {
  @TempDir static Path certs;
  private static Authority caA;
  private static Authority caB;
  private static Authority caC;
  private static DistributionRegistry sourceRegistry;
  private static DistributionRegistry destinationRegistry;
  private static DistributionRegistry mutualTlsRegistry;
  private static TestImage image;

  @BeforeAll
  static void startRegistries() {
    caA = TestCertificates.authority(certs, "ca-a");
    caB = TestCertificates.authority(certs, "ca-b");
    caC = TestCertificates.authority(certs, "ca-c");
    sourceRegistry = DistributionRegistry.builder().tls(caA).basicAuth("puller", "pw-a").start();
    destinationRegistry = DistributionRegistry.builder().tls(caB).start();
    mutualTlsRegistry = DistributionRegistry.builder().tls(caB).requireClientCertificate(caC).start();
    image = TestImages.image(Format.OCI, 1, TestBlob.random(11, 70_000));
    try (RegistryClient seed = sourceClient(caA)) {
      ImagePush.push(seed, "tls/app", image, "v1");
    }
  }

  @AfterAll
  static void stopRegistries() {
    sourceRegistry.close();
    destinationRegistry.close();
    mutualTlsRegistry.close();
  }

  @Test
  void copySucceedsWhenEachClientTrustsOnlyItsOwnAuthority() {
    try (RegistryClient source = sourceClient(caA);
        RegistryClient destination = client(destinationRegistry, caB);
        ImageCopier copier = ImageCopier.builder().build()) {

      CopyResult result = copier.copy(CopyRequest.of(source, "tls/app", Digest.parse(image.digest()))
              .to(destination, "tls/app")
              .tags(List.of("v1")));

      assertThat(result.blobsUploaded()).isEqualTo(2);
      assertThat(destination.headManifest("tls/app", "v1").orElseThrow().digest().toString())
          .isEqualTo(image.digest());
    }
  }

  @Test
  void copyFailsWithATlsErrorWhenTheAuthoritiesAreSwapped() {
    try (RegistryClient source = sourceClient(caB);
        RegistryClient destination = client(destinationRegistry, caA);
        ImageCopier copier = ImageCopier.builder().build()) {

      assertThatThrownBy(() -> copier.copy(CopyRequest.of(source, "tls/app", Digest.parse(image.digest()))
              .to(destination, "swapped/app")
              .tags(List.of("v1"))))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("TLS")
          .hasMessageContaining(destinationRegistry.hostPort())
          .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("certificate"));
    }
    try (RegistryClient destination = client(destinationRegistry, caB)) {
      assertThat(destination.headManifest("swapped/app", "v1")).isEmpty();
    }
  }

  @Test
  void sourceClientTrustingTheWrongAuthorityIsRefusedAtTheHandshake() {
    try (RegistryClient source = sourceClient(caB)) {
      assertThatThrownBy(() -> source.headManifest("tls/app", "v1"))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("TLS")
          .hasMessageContaining(sourceRegistry.hostPort())
          .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("certificate"));
    }
  }

  @Test
  void registryRequiringClientCertificatesAcceptsTheConfiguredOne() {
    TestCertificates.Issued edgeCert = caC.issueClient("edge-1");
    try (RegistryClient source = sourceClient(caA);
        RegistryClient destination =
            RegistryClient.builder(mutualTlsRegistry.baseUrl())
                .tls(TlsOptions.builder()
                    .trustedCertificates(caB.certificatePem())
                    .clientCertificate(edgeCert.certificatePem(), edgeCert.privateKeyPem())
                    .build())
                .build();
        ImageCopier copier = ImageCopier.builder().build()) {

      copier.copy(CopyRequest.of(source, "tls/app", Digest.parse(image.digest()))
              .to(destination, "mtls/app")
              .tags(List.of("v1")));

      assertThat(destination.headManifest("mtls/app", "v1")).isPresent();
    }
  }

  @Test
  void registryRequiringClientCertificatesRejectsAClientWithoutOne() {
    try (RegistryClient noCertificate = client(mutualTlsRegistry, caB)) {
      assertThatThrownBy(noCertificate::ping)
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining(mutualTlsRegistry.hostPort());
    }
  }

  @Test
  void registryRequiringClientCertificatesRejectsACertificateFromAnotherAuthority() {
    TestCertificates.Issued foreign = caA.issueClient("intruder");
    try (RegistryClient intruder =
        RegistryClient.builder(mutualTlsRegistry.baseUrl())
            .tls(TlsOptions.builder()
                .trustedCertificates(caB.certificatePem())
                .clientCertificate(foreign.certificatePem(), foreign.privateKeyPem())
                .build())
            .build()) {
      assertThatThrownBy(intruder::ping).isInstanceOf(RegistryException.class);
    }
  }

  private static RegistryClient sourceClient(Authority trusted) {
    return RegistryClient.builder(sourceRegistry.baseUrl())
        .credentials(Credentials.basic(sourceRegistry.username(), sourceRegistry.password()))
        .tls(TlsOptions.builder().trustedCertificates(trusted.certificatePem()).build())
        .maxRetries(0)
        .build();
  }

  private static RegistryClient client(DistributionRegistry registry, Authority trusted) {
    return RegistryClient.builder(registry.baseUrl())
        .tls(TlsOptions.builder().trustedCertificates(trusted.certificatePem()).build())
        .maxRetries(0)
        .build();
  }
}
