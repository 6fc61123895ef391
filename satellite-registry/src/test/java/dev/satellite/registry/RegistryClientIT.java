package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.io.InputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client operations that mocks cannot prove, against CNCF Distribution with Basic auth. */
@RequiresRegistry
class RegistryClientIT {
  private static DistributionRegistry registry;
  private static RegistryClient client;

  @BeforeAll
  static void start() {
    registry = DistributionRegistry.builder().basicAuth("carol", "carol-secret").start();
    client = clientWith(Credentials.basic(registry.username(), registry.password()));
  }

  @AfterAll
  static void stop() {
    client.close();
    registry.close();
  }

  private static RegistryClient clientWith(Credentials credentials) {
    return RegistryClient.builder(registry.baseUrl())
        .credentials(credentials)
        .chunkedUploadThreshold(100_000)
        .uploadChunkSize(64 * 1024)
        .build();
  }

  private static void assertBlobReadsBack(String repository, TestBlob blob) throws Exception {
    try (InputStream in = client.openBlob(repository, Digest.parse(blob.digest()))) {
      assertThat(in.readAllBytes()).isEqualTo(blob.bytes());
    }
  }

  @Test
  void pingAcceptsCredentials() {
    client.ping();
  }

  @Test
  void wrongPasswordIsUnauthorizedNotAbsent() {
    RegistryClient wrong = clientWith(Credentials.basic(registry.username(), "not-it"));

    assertThatThrownBy(() -> wrong.headManifest("real/app", "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("401 Unauthorized")
        .hasMessageNotContaining("not-it");
  }

  @Test
  void uploadsUnknownSizeInPatchChunks() throws Exception {
    TestBlob blob = TestBlob.random(11, 300_000);

    try (InputStream in = blob.open()) {
      client.pushBlob("real/chunks", Digest.parse(blob.digest()), -1, in);
    }

    assertThat(client.headBlob("real/chunks", Digest.parse(blob.digest()))).contains(blob.size());
    assertBlobReadsBack("real/chunks", blob);
  }

  @Test
  void uploadsKnownSizeAboveThresholdInStreamedChunks() throws Exception {
    TestBlob blob = TestBlob.random(12, 250_001);

    try (InputStream in = blob.open()) {
      client.pushBlob("real/known-chunks", Digest.parse(blob.digest()), blob.size(), in);
    }

    assertBlobReadsBack("real/known-chunks", blob);
  }

  @Test
  void wrongDigestIsRejectedAndNothingIsStored() throws Exception {
    TestBlob blob = TestBlob.random(13, 50_000);
    Digest claimed = Digest.parse(TestBlob.random(14, 10).digest());

    try (InputStream in = blob.open()) {
      assertThatThrownBy(() -> client.pushBlob("real/bad", claimed, blob.size(), in))
          .isInstanceOf(DigestMismatchException.class);
    }

    assertThat(client.headBlob("real/bad", claimed)).isEmpty();
    assertThat(client.headBlob("real/bad", Digest.parse(blob.digest()))).isEmpty();
  }

  @Test
  void mountsBlobKnownInAnotherRepository() throws Exception {
    TestBlob blob = TestBlob.random(15, 20_000);
    Digest digest = Digest.of(blob.bytes());
    client.pushBlob("real/base", blob.bytes());

    assertThat(client.mountBlob("real/derived", digest, "real/base")).isTrue();
    assertBlobReadsBack("real/derived", blob);
  }

  @Test
  void mountOfUnknownBlobIsDeclined() {
    Digest unknown = Digest.parse(TestBlob.random(16, 10).digest());

    assertThat(client.mountBlob("real/derived2", unknown, "real/base")).isFalse();
  }

  @Test
  void deletedManifestIsAbsentAndDeletingAgainIsNoError() {
    TestImage image = TestImages.image(Format.OCI, 17, TestBlob.random(18, 1000));
    Digest digest = ImagePush.push(client, "real/del", image, "v1");

    client.deleteManifest("real/del", digest);

    assertThat(client.headManifest("real/del", digest.toString())).isEmpty();
    assertThat(client.headManifest("real/del", "v1")).isEmpty();
    client.deleteManifest("real/del", digest);
  }

  @Test
  void deleteTagReportsWhetherTheRegistrySupportsIt() {
    TestImage image = TestImages.image(Format.DOCKER, 19, TestBlob.random(20, 1000));
    Digest digest = ImagePush.push(client, "real/untag", image, "v1", "v2");

    boolean supported = client.deleteTag("real/untag", "v1");

    if (supported) {
      assertThat(client.headManifest("real/untag", "v1")).isEmpty();
    } else {
      assertThat(client.headManifest("real/untag", "v1")).isPresent();
    }
    assertThat(client.headManifest("real/untag", "v2").orElseThrow().digest()).isEqualTo(digest);
  }

  @Test
  void unknownRepositoryHasNoTags() {
    assertThat(client.listTags("real/never-pushed")).isEmpty();
  }

  @Test
  void getManifestByDigestVerifiesAndKeepsBytes() {
    TestImage image = TestImages.image(Format.DOCKER, 21, TestBlob.random(22, 500));
    Digest digest = ImagePush.push(client, "real/get", image, "v1");

    Manifest manifest = client.getManifest("real/get", digest.toString());

    assertThat(manifest.bytes()).isEqualTo(image.manifest());
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
  }
}
