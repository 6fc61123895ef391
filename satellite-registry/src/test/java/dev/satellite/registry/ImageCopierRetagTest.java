package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * A tag missing at the destination for an image the destination already holds by digest (a copy
 * interrupted between its two manifest {@code PUT}s, another tag copied before): the copier finds
 * it with a {@code HEAD} by digest, takes the manifest it placed itself or else the destination's,
 * and only tags it, reading nothing from the source and asking about no blob.
 */
class ImageCopierRetagTest extends ImageCopierFixture {
  private final TestImage image = imageOn(TestBlob.random(400, 5000), 401);

  @Test
  void newTagOfAnImagePutThereByAnotherProcessCostsAHeadAndAGetByDigestAndOnePut() {
    seed(source, "app", image);
    destination.putManifest("app", image.mediaType(), image.manifest(), "v1");
    try (ImageCopier copier = ImageCopier.builder().build()) {

      CopyResult result = copyTagged(copier, "v2");

      assertThat(destination.requests()).containsExactly(
          "HEAD /v2/app/manifests/v2",
          "HEAD /v2/app/manifests/" + image.digest(),
          "GET /v2/app/manifests/" + image.digest(),
          "PUT /v2/app/manifests/v2");
      assertThat(source.requests()).isEmpty();
      assertThat(result.alreadyPresent()).isFalse();
      assertThat(result.blobsSkipped() + result.blobsUploaded() + result.bytesCopied()).isZero();
      assertThat(destination.manifest("app", "v2")).hasValue(image.manifest());
    }
  }

  @Test
  void newTagOfAnImageThisCopierPutThereCostsAHeadByDigestAndOnePut() {
    seed(source, "app", image);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      copyTagged(copier, "v1");
      int before = destination.requests().size();
      int fromSource = source.requests().size();

      CopyResult result = copyTagged(copier, "v2");

      assertThat(destination.requests().subList(before, destination.requests().size()))
          .containsExactly(
              "HEAD /v2/app/manifests/v2",
              "HEAD /v2/app/manifests/" + image.digest(),
              "PUT /v2/app/manifests/v2");
      assertThat(source.requests()).hasSize(fromSource);
      assertThat(result.blobsSkipped() + result.blobsUploaded() + result.bytesCopied()).isZero();
      assertThat(destination.manifest("app", "v2")).hasValue(image.manifest());
    }
  }

  @Test
  void imageLeftUntaggedByAnInterruptedCopyIsTaggedWithoutItsBlobs() {
    seed(source, "app", image);
    answerAtDestination(r -> r.getMethod().equals("PUT")
            && r.getUrl().encodedPath().equals("/v2/app/manifests/v1")
        ? new MockResponse.Builder().code(403).build()
        : null);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      assertThatThrownBy(() -> copyTagged(copier, "v1")).isInstanceOf(RegistryException.class);
    }
    answerAtDestination(r -> null);
    int before = destination.requests().size();
    try (ImageCopier restarted = ImageCopier.builder().build()) {

      CopyResult result = copyTagged(restarted, "v1");

      assertThat(destination.requests().subList(before, destination.requests().size()))
          .containsExactly(
              "HEAD /v2/app/manifests/v1",
              "HEAD /v2/app/manifests/" + image.digest(),
              "GET /v2/app/manifests/" + image.digest(),
              "PUT /v2/app/manifests/v1");
      assertThat(result.blobsSkipped() + result.blobsUploaded() + result.bytesCopied()).isZero();
      assertThat(destination.manifest("app", "v1")).hasValue(image.manifest());
    }
  }

  @Test
  void twoTagsOfOneImageCopiedAtOnceCopyItOnceAndTagItTwice() throws Exception {
    seed(source, "app", image);
    source.delayBlobGets(300);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      CompletableFuture<CopyResult> first = copyingInTheBackground(copier, "v1");

      CopyResult second = copyTagged(copier, "v2");

      assertThat(first.get(10, TimeUnit.SECONDS).blobsUploaded()).isEqualTo(image.blobs().size());
      assertThat(second.blobsUploaded() + second.blobsSkipped()).isZero();
      assertThat(source.requests())
          .filteredOn(r -> r.startsWith("GET /v2/app/manifests/"))
          .hasSize(1);
      assertThat(destination.requests())
          .as("the waiting copy is handed the manifest: nothing reads it while it is written")
          .filteredOn(r -> r.startsWith("GET /v2/app/manifests/")
              || r.startsWith("HEAD /v2/app/manifests/sha256:"))
          .containsExactly("HEAD /v2/app/manifests/" + image.digest());
      assertThat(destination.requests())
          .filteredOn(r -> r.startsWith("PUT /v2/app/manifests/"))
          .containsExactly(
              "PUT /v2/app/manifests/" + image.digest(),
              "PUT /v2/app/manifests/v1",
              "PUT /v2/app/manifests/v2");
      assertThat(destination.manifest("app", "v1")).hasValue(image.manifest());
      assertThat(destination.manifest("app", "v2")).hasValue(image.manifest());
    }
  }

  @Test
  void manyTagsOfAnImageAlreadyThereAskForItOnceAndPutOnlyTheirTags() throws Exception {
    seed(source, "app", image);
    destination.putManifest("app", image.mediaType(), image.manifest(), "v0");
    ExecutorService four = Executors.newFixedThreadPool(4);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      List<CompletableFuture<CopyResult>> copies = Stream.of("v1", "v2", "v3", "v4")
          .map(tag -> CompletableFuture.supplyAsync(() -> copyTagged(copier, tag), four))
          .toList();

      copies.forEach(c -> assertThat(c.join().digest().toString()).isEqualTo(image.digest()));

      assertThat(destination.requests())
          .filteredOn(r -> r.startsWith("GET "))
          .containsExactly("GET /v2/app/manifests/" + image.digest());
      assertThat(destination.requests())
          .filteredOn(r -> r.startsWith("PUT "))
          .containsExactlyInAnyOrder(
              "PUT /v2/app/manifests/v1", "PUT /v2/app/manifests/v2",
              "PUT /v2/app/manifests/v3", "PUT /v2/app/manifests/v4");
      assertThat(source.requests()).isEmpty();
    } finally {
      four.shutdownNow();
    }
  }

  @Test
  void whenTheFirstCopyFailsTheWaitingOneCopiesTheImageItself() throws Exception {
    seed(source, "app", image);
    source.delayBlobGets(300);
    AtomicBoolean failedOnce = new AtomicBoolean();
    answerAtDestination(r -> r.getMethod().equals("PUT")
            && r.getUrl().encodedPath().equals("/v2/app/manifests/" + image.digest())
            && failedOnce.compareAndSet(false, true)
        ? new MockResponse.Builder().code(403).build()
        : null);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      CompletableFuture<CopyResult> first = copyingInTheBackground(copier, "v1");

      CopyResult second = copyTagged(copier, "v2");

      assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RegistryException.class);
      assertThat(second.blobsSkipped()).isEqualTo(image.blobs().size());
      assertThat(destination.manifest("app", "v2")).hasValue(image.manifest());
      assertThat(destination.manifest("app", "v1")).isEmpty();
    }
  }

  @Test
  void imageMissingByDigestIsCopiedAfterTheHeadByDigestAnswers404() {
    seed(source, "app", image);
    try (ImageCopier copier = ImageCopier.builder().build()) {

      CopyResult result = copyTagged(copier, "v1");

      assertThat(destination.requests()).startsWith(
          "HEAD /v2/app/manifests/v1", "HEAD /v2/app/manifests/" + image.digest());
      assertThat(destination.requests()).noneMatch(r -> r.startsWith("GET "));
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

  /** Starts copying the image under {@code tag}; returns once its first blob GET has begun. */
  private CompletableFuture<CopyResult> copyingInTheBackground(ImageCopier copier, String tag)
      throws InterruptedException {
    CompletableFuture<CopyResult> copy =
        CompletableFuture.supplyAsync(() -> copyTagged(copier, tag));
    while (source.requests().stream().noneMatch(r -> r.contains("/blobs/")) && !copy.isDone()) {
      Thread.sleep(5);
    }
    return copy;
  }

  private CopyResult copyTagged(ImageCopier copier, String tag) {
    return copier.copy(CopyRequest.of(sourceClient, "app", Digest.parse(image.digest()))
            .to(destinationClient, "app")
            .tags(List.of(tag)));
  }
}
