package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two copies of one copier needing the same blob at the same time: the blob is streamed from the
 * source once, and the second copy mounts it (or finds it in place) once the first is done; the
 * wait is bounded, and a failed first upload does not fail the second copy.
 */
class ImageCopierSingleFlightTest extends ImageCopierFixture {
  private final TestBlob base = TestBlob.random(400, 20_000);
  private final TestImage first = imageOn(base, 401);
  private final TestImage second = imageOn(base, 402);
  private final ExecutorService background = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopBackground() throws InterruptedException {
    background.shutdownNow();
    background.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void twoCopiesSharingABlobStreamItOnceAndMountItOnce() throws InterruptedException {
    try (ImageCopier copier = ImageCopier.builder().build()) {

      Overlap copies = overlap(copier, "one", "two", 600);

      assertThat(copies.first().join().blobsUploaded()).isEqualTo(3);
      assertThat(copies.second().blobsMounted()).isEqualTo(1);
      assertThat(copies.second().blobsUploaded()).isEqualTo(2);
      assertThat(about(source.requests(), base)).containsExactly(
          "GET /v2/one/blobs/" + base.digest());
      assertThat(destination.requests())
          .contains("POST /v2/two/blobs/uploads/?mount=" + base.digest() + "&from=one");
      assertThat(destination.hasBlob("two", base.digest())).isTrue();
    }
  }

  @Test
  void aCopyIntoTheSameRepositoryFindsTheBlobInPlaceAfterWaiting() throws InterruptedException {
    try (ImageCopier copier = ImageCopier.builder().build()) {

      Overlap copies = overlap(copier, "app", "app", 600);

      assertThat(copies.first().join().blobsUploaded()).isEqualTo(3);
      assertThat(copies.second().blobsSkipped()).isEqualTo(1);
      assertThat(about(source.requests(), base)).hasSize(1);
      assertThat(destination.requests()).noneMatch(r -> r.contains("mount="));
    }
  }

  @Test
  void whenTheFirstUploadFailsTheWaitingCopyStreamsTheBlobItself() throws InterruptedException {
    answerAtDestination(r -> r.getMethod().equals("PUT")
        && r.getUrl().encodedPath().startsWith("/v2/one/blobs/uploads/")
        && base.digest().equals(r.getUrl().queryParameter("digest")) ? status(r, 403) : null);
    try (ImageCopier copier = ImageCopier.builder().build()) {

      Overlap copies = overlap(copier, "one", "two", 600);

      assertThatThrownBy(copies.first()::join).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(RegistryException.class);
      assertThat(copies.second().blobsUploaded()).isEqualTo(3);
      assertThat(about(source.requests(), base)).containsExactly(
          "GET /v2/one/blobs/" + base.digest(), "GET /v2/two/blobs/" + base.digest());
      assertThat(destination.hasBlob("two", base.digest())).isTrue();
    }
  }

  @Test
  void waitsForAnotherCopyNoLongerThanSharedUploadWait() throws InterruptedException {
    try (ImageCopier copier =
        ImageCopier.builder().sharedUploadWait(Duration.ofMillis(100)).build()) {

      Overlap copies = overlap(copier, "one", "two", 1500);

      assertThat(copies.first().join().blobsUploaded()).isEqualTo(3);
      assertThat(copies.second().blobsMounted()).isZero();
      assertThat(about(source.requests(), base)).containsExactlyInAnyOrder(
          "GET /v2/one/blobs/" + base.digest(), "GET /v2/two/blobs/" + base.digest());
    }
  }

  @Test
  void manyCopiesNeedingABlobInOneRepositoryPutItThereOnce() throws Exception {
    List<TestImage> images = List.of(first, second, imageOn(base, 403), imageOn(base, 404));
    images.forEach(image -> seed(source, "app", image));
    TestImage earlier = imageOn(base, 405);
    seed(source, "other", earlier);
    answerAtDestination(r -> {
      if (r.getUrl().queryParameter("mount") != null) {
        sleep(300);
      }
      return null;
    });
    ExecutorService four = Executors.newFixedThreadPool(4);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      copy(copier, "other", earlier);
      List<CompletableFuture<CopyResult>> copies = images.stream()
          .map(image -> CompletableFuture.supplyAsync(() -> copy(copier, "app", image), four))
          .toList();

      int mounted = copies.stream().mapToInt(c -> c.join().blobsMounted()).sum();

      assertThat(mounted).isEqualTo(1);
      assertThat(destination.requests())
          .filteredOn(r -> r.startsWith("POST /v2/app/blobs/")
              || r.startsWith("PUT /v2/app/blobs/"))
          .filteredOn(r -> r.contains(base.digest()))
          .containsExactly(
              "POST /v2/app/blobs/uploads/?mount=" + base.digest() + "&from=other");
      assertThat(about(source.requests(), base)).containsExactly(
          "GET /v2/other/blobs/" + base.digest());
    } finally {
      four.shutdownNow();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The first copy (in the background) and the second (done) of {@link #overlap}. */
  private record Overlap(CompletableFuture<CopyResult> first, CopyResult second) {}

  /**
   * Seeds {@link #first} in {@code firstRepository} and {@link #second} in {@code
   * secondRepository} at the source, each blob GET there taking {@code delayMillis}; starts
   * copying the first in the background and, once its GET of the shared blob has begun (the blob
   * is then in flight), copies the second. Each lands in the repository of its name.
   */
  private Overlap overlap(
      ImageCopier copier, String firstRepository, String secondRepository, long delayMillis)
      throws InterruptedException {
    seed(source, firstRepository, first);
    seed(source, secondRepository, second);
    source.delayBlobGets(delayMillis);
    CompletableFuture<CopyResult> copy =
        CompletableFuture.supplyAsync(
            () -> copier.copy(CopyRequest.of(sourceClient, firstRepository, Digest.parse(first.digest()))
                    .to(destinationClient, firstRepository)
                    .tags(List.of("first"))),
            background);
    String started = "GET /v2/" + firstRepository + "/blobs/" + base.digest();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!source.requests().contains(started) && !copy.isDone()) {
      assertThat(System.nanoTime()).as("first copy started its blob GET").isLessThan(deadline);
      Thread.sleep(5);
    }
    return new Overlap(copy, copy(copier, secondRepository, second));
  }
}
