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
import dev.satellite.testing.TestIndex;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Copies between two real CNCF Distribution registries: the source requires Basic auth, the
 * destination is anonymous plain HTTP (an edge registry). Each test uses its own repositories.
 */
@RequiresRegistry
class ImageCopierIT {
  private static DistributionRegistry upstream;
  private static DistributionRegistry edge;
  private static RegistryClient source;
  private static RegistryClient destination;
  private static final AtomicInteger SOURCE_BLOB_GETS = new AtomicInteger();
  private static ImageCopier copier;

  @BeforeAll
  static void startRegistries() {
    upstream = DistributionRegistry.builder().basicAuth("puller", "upstream-secret").start();
    edge = DistributionRegistry.builder().start();
    OkHttpClient counting =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  if (chain.request().method().equals("GET")
                      && chain.request().url().encodedPath().contains("/blobs/sha256:")) {
                    SOURCE_BLOB_GETS.incrementAndGet();
                  }
                  return chain.proceed(chain.request());
                })
            .build();
    source =
        RegistryClient.builder(upstream.baseUrl())
            .credentials(Credentials.basic(upstream.username(), upstream.password()))
            .sharedHttpClient(counting)
            .build();
    destination = RegistryClient.builder(edge.baseUrl()).build();
    copier = ImageCopier.builder().build();
  }

  @AfterAll
  static void stopRegistries() {
    copier.close();
    source.close();
    destination.close();
    upstream.close();
    edge.close();
  }

  @Test
  void copiesOciImageFromAnAuthenticatedSource() throws Exception {
    TestImage image =
        TestImages.image(Format.OCI, 1, TestBlob.random(101, 300_000), TestBlob.random(102, 5000));
    ImagePush.push(source, "oci/app", image, "v1");

    CopyResult result = copy("oci/app", image.digest(), "oci/app", "v1");

    assertThat(result.blobsUploaded()).isEqualTo(3);
    assertThat(result.bytesCopied()).isEqualTo(image.blobBytes());
    assertThat(headDigest("oci/app", "v1")).isEqualTo(image.digest());
    for (TestBlob blob : image.blobs()) {
      assertThat(sha256(destination.openBlob("oci/app", Digest.parse(blob.digest()))))
          .isEqualTo(blob.digest());
    }
  }

  @Test
  void copiesDockerV2Schema2ManifestByteForByte() {
    TestImage image = TestImages.image(Format.DOCKER, 2, TestBlob.random(201, 20_000));
    ImagePush.push(source, "docker/app", image, "v1");

    copy("docker/app", image.digest(), "docker/app", "v1");

    Manifest atEdge = destination.getManifest("docker/app", "v1");
    assertThat(atEdge.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(atEdge.bytes()).isEqualTo(image.manifest());
    assertThat(atEdge.digest().toString()).isEqualTo(image.digest());
  }

  @Test
  void copiesMultiArchIndexWholeWithTheSameDigest() {
    TestIndex index = TestImages.multiArch(Format.OCI, 3, TestBlob.random(301, 40_000));
    ImagePush.push(source, "multi/app", index, "v1");

    CopyResult result = copy("multi/app", index.digest(), "multi/app", "v1");

    assertThat(result.manifestsPushed()).isEqualTo(3);
    assertThat(headDigest("multi/app", "v1")).isEqualTo(index.digest());
    for (TestImage child : index.children()) {
      assertThat(destination.getManifest("multi/app", child.digest()).bytes())
          .isEqualTo(child.manifest());
      for (TestBlob blob : child.blobs()) {
        assertThat(destination.headBlob("multi/app", Digest.parse(blob.digest()))).isPresent();
      }
    }
  }

  @Test
  void copiesDockerManifestListWithTheSameDigest() {
    TestIndex list = TestImages.multiArch(Format.DOCKER, 4, TestBlob.random(401, 10_000));
    ImagePush.push(source, "list/app", list, "v1");

    copy("list/app", list.digest(), "list/app", "v1");

    Manifest atEdge = destination.getManifest("list/app", "v1");
    assertThat(atEdge.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(atEdge.digest().toString()).isEqualTo(list.digest());
  }

  @Test
  void platformFilterPushesAnIndexTheRegistryAcceptsWithOnlyTheMatchingChild() {
    TestIndex index = TestImages.multiArch(Format.OCI, 11, TestBlob.random(1101, 20_000));
    ImagePush.push(source, "filter/app", index, "v1");
    TestImage arm64 = index.children().get(1);

    CopyResult result;
    try (ImageCopier arm64Only =
        ImageCopier.builder().platforms(List.of(Platform.parse("linux/arm64"))).build()) {
      result = arm64Only.copy(CopyRequest.of(source, "filter/app", Digest.parse(index.digest()))
              .to(destination, "filter/app")
              .tags(List.of("v1")));
    }

    Manifest atEdge = destination.getManifest("filter/app", "v1");
    assertThat(atEdge.digest()).isEqualTo(result.digest()).isNotEqualTo(
        Digest.parse(index.digest()));
    assertThat(atEdge.children()).extracting(d -> d.digest().toString())
        .containsExactly(arm64.digest());
    assertThat(destination.headManifest("filter/app", index.children().get(0).digest()))
        .isEmpty();
  }

  @Test
  void secondCopyOfTheSameImageTransfersZeroBlobBytes() {
    TestImage image = TestImages.image(Format.OCI, 5, TestBlob.random(501, 100_000));
    ImagePush.push(source, "again/app", image, "v1");
    copy("again/app", image.digest(), "again/app", "v1");
    int blobGetsBefore = SOURCE_BLOB_GETS.get();

    CopyResult second = copy("again/app", image.digest(), "again/app", "v1");

    assertThat(second.alreadyPresent()).isTrue();
    assertThat(second.bytesCopied()).isZero();
    assertThat(SOURCE_BLOB_GETS.get()).isEqualTo(blobGetsBefore);
  }

  @Test
  void copyUnderANewTagOfAnImageAlreadyThereOnlyTagsIt() {
    TestImage image = TestImages.image(Format.OCI, 6, TestBlob.random(601, 100_000));
    ImagePush.push(source, "retag/app", image, "v1");
    copy("retag/app", image.digest(), "retag/app", "v1");
    int blobGetsBefore = SOURCE_BLOB_GETS.get();

    CopyResult result = copy("retag/app", image.digest(), "retag/app", "v2");

    assertThat(result.alreadyPresent()).isFalse();
    assertThat(result.blobsSkipped()).isZero();
    assertThat(result.bytesCopied()).isZero();
    assertThat(SOURCE_BLOB_GETS.get()).isEqualTo(blobGetsBefore);
    assertThat(headDigest("retag/app", "v2")).isEqualTo(image.digest());
    assertThat(headDigest("retag/app", "v1")).isEqualTo(image.digest());
  }

  @Test
  void mountsSharedBaseLayerFromAnotherEdgeRepository() {
    TestBlob base = TestBlob.random(700, 200_000);
    TestImage first = TestImages.image(Format.OCI, 7, base, TestBlob.random(701, 1000));
    TestImage second = TestImages.image(Format.OCI, 8, base, TestBlob.random(702, 1000));
    ImagePush.push(source, "mount/first", first, "v1");
    ImagePush.push(source, "mount/second", second, "v1");
    copy("mount/first", first.digest(), "mount/first", "v1");

    CopyResult result = copy("mount/second", second.digest(), "mount/second", "v1");

    assertThat(result.blobsMounted()).isPositive();
    assertThat(result.bytesCopied()).isEqualTo(second.blobBytes() - base.size());
    assertThat(destination.headBlob("mount/second", Digest.parse(base.digest())))
        .contains(base.size());
  }

  @Test
  void missingSourceImageFailsNamingItAndTagsNothing() {
    String absent = TestImages.image(Format.OCI, 9, TestBlob.random(901, 10)).digest();

    assertThatThrownBy(() -> copy("absent/app", absent, "absent/app", "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(absent)
        .hasMessageContaining(upstream.hostPort());
    assertThat(destination.headManifest("absent/app", "v1")).isEmpty();
  }

  @Test
  void sourceWithoutCredentialsIsRefusedWithUnauthorized() {
    TestImage image = TestImages.image(Format.OCI, 10, TestBlob.random(1001, 10));
    ImagePush.push(source, "auth/app", image, "v1");
    try (RegistryClient anonymous = RegistryClient.builder(upstream.baseUrl()).build()) {
      assertThatThrownBy(
              () -> copier.copy(CopyRequest.of(anonymous, "auth/app", Digest.parse(image.digest()))
                      .to(destination, "auth/app")
                      .tags(List.of("v1"))))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("401");
    }
  }

  private static CopyResult copy(String from, String digest, String to, String tag) {
    return copier.copy(CopyRequest.of(source, from, Digest.parse(digest))
            .to(destination, to)
            .tags(List.of(tag)));
  }

  private static String headDigest(String repo, String reference) {
    return destination.headManifest(repo, reference).orElseThrow().digest().toString();
  }

  private static String sha256(InputStream in) throws Exception {
    try (in) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) != -1; ) {
        md.update(buf, 0, n);
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    }
  }
}
