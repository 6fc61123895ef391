package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.registry.testing.TestBlob;
import dev.satellite.registry.testing.TestImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * A tag missing at the destination for an image the destination already holds by digest: the
 * copier takes the manifest from the destination and only tags it, reading nothing from the source
 * and asking about no blob.
 */
class ImageCopierRetagTest extends ImageCopierFixture {
  private final TestImage image = imageOn(TestBlob.random(400, 5000), 401);

  @Test
  void newTagOfAnImageAlreadyThereCostsOneGetByDigestAndOnePut() {
    seed(source, "app", image);
    destination.putManifest("app", image.mediaType(), image.manifest(), "v1");
    try (ImageCopier copier = ImageCopier.builder().build()) {

      CopyResult result = copyTagged(copier, "v2");

      assertThat(destination.requests()).containsExactly(
          "HEAD /v2/app/manifests/v2",
          "GET /v2/app/manifests/" + image.digest(),
          "PUT /v2/app/manifests/v2");
      assertThat(source.requests()).isEmpty();
      assertThat(result.alreadyPresent()).isFalse();
      assertThat(result.blobsSkipped() + result.blobsUploaded() + result.bytesCopied()).isZero();
      assertThat(destination.manifest("app", "v2")).hasValue(image.manifest());
    }
  }

  @Test
  void twoTagsOfOneImageCopiedAtOnceCopyItOnceAndTagItTwice() throws Exception {
    seed(source, "app", image);
    source.delayBlobGets(300);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      CompletableFuture<CopyResult> first =
          CompletableFuture.supplyAsync(() -> copyTagged(copier, "v1"));
      while (source.requests().stream().noneMatch(r -> r.contains("/blobs/"))) {
        Thread.sleep(5);
      }

      CopyResult second = copyTagged(copier, "v2");

      assertThat(first.get(10, TimeUnit.SECONDS).blobsUploaded()).isEqualTo(image.blobs().size());
      assertThat(second.blobsUploaded() + second.blobsSkipped()).isZero();
      assertThat(source.requests())
          .filteredOn(r -> r.startsWith("GET /v2/app/manifests/"))
          .hasSize(1);
      assertThat(destination.manifest("app", "v1")).hasValue(image.manifest());
      assertThat(destination.manifest("app", "v2")).hasValue(image.manifest());
    }
  }

  @Test
  void imageMissingByDigestIsCopiedAfterTheGetByDigestAnswers404() {
    seed(source, "app", image);
    try (ImageCopier copier = ImageCopier.builder().build()) {

      CopyResult result = copyTagged(copier, "v1");

      assertThat(destination.requests()).startsWith(
          "HEAD /v2/app/manifests/v1", "GET /v2/app/manifests/" + image.digest());
      assertThat(result.blobsUploaded()).isEqualTo(image.blobs().size());
      assertThat(destination.manifest("app", "v1")).hasValue(image.manifest());
    }
  }

  @Test
  void destinationServingOtherBytesUnderTheDigestFailsAndTagsNothing() {
    seed(source, "app", image);
    destination.putManifest("app", image.mediaType(), image.manifest(), "v1");
    answerAtDestination(r -> r.getMethod().equals("GET")
            && r.getUrl().encodedPath().equals("/v2/app/manifests/" + image.digest())
        ? new MockResponse.Builder()
            .setHeader("Content-Type", image.mediaType())
            .body("{\"schemaVersion\":2}")
            .build()
        : null);
    try (ImageCopier copier = ImageCopier.builder().build()) {

      assertThatThrownBy(() -> copyTagged(copier, "v2"))
          .isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining(image.digest())
          .hasMessageContaining("app@");
      assertThat(destination.manifest("app", "v2")).isEmpty();
    }
  }

  private CopyResult copyTagged(ImageCopier copier, String tag) {
    return copier.copy(sourceClient, "app", Digest.parse(image.digest()), destinationClient, "app",
        List.of(tag));
  }
}
