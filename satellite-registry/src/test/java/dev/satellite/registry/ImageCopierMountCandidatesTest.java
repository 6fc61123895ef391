package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Mount candidates named with {@link ImageCopier#addMountCandidates}: a copier that never saw a
 * blob at the destination looks for it in those repositories before fetching it from the source,
 * within a bounded number of requests, and takes only a 200 as "there".
 */
class ImageCopierMountCandidatesTest extends ImageCopierFixture {
  private final TestBlob base = TestBlob.random(300, 9000);
  private final TestImage image = imageOn(base, 301);

  @Test
  void mountsFromANamedCandidateAfterOneHeadThere() {
    seed(source, "team/app", image);
    destination.putBlob("team/base", base.bytes());
    try (ImageCopier copier = ImageCopier.builder().build()) {
      copier.addMountCandidates(destinationClient, List.of("team/base"));

      CopyResult result = copy(copier, "team/app", image);

      assertThat(result.blobsMounted()).isEqualTo(1);
      assertThat(about(destination.requests(), base)).containsExactly(
          "HEAD /v2/team/app/blobs/" + base.digest(),
          "HEAD /v2/team/base/blobs/" + base.digest(),
          "POST /v2/team/app/blobs/uploads/?mount=" + base.digest() + "&from=team/base");
      assertThat(about(source.requests(), base)).isEmpty();
    }
  }

  @Test
  void withoutCandidatesNoOtherRepositoryIsAsked() {
    seed(source, "team/app", image);
    destination.putBlob("team/base", base.bytes());
    try (ImageCopier copier = ImageCopier.builder().build()) {

      CopyResult result = copy(copier, "team/app", image);

      assertThat(result.blobsMounted()).isZero();
      assertThat(destination.requests()).noneMatch(r -> r.contains("/team/base/"));
      assertThat(about(source.requests(), base)).containsExactly(
          "GET /v2/team/app/blobs/" + base.digest());
    }
  }

  @Test
  void candidateAnswering401IsSkippedAndTheNextOneIsAsked() {
    seed(source, "app", image);
    destination.putBlob("shared", base.bytes());
    answerAtDestination(r -> r.getUrl().encodedPath().startsWith("/v2/locked/")
        ? status(r, 401) : null);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      copier.addMountCandidates(destinationClient, List.of("shared", "locked"));

      CopyResult result = copy(copier, "app", image);

      assertThat(about(answered, base)).containsExactly("HEAD /v2/locked/blobs/" + base.digest());
      assertThat(result.blobsMounted()).isEqualTo(1);
      assertThat(destination.requests())
          .contains("POST /v2/app/blobs/uploads/?mount=" + base.digest() + "&from=shared");
      assertThat(about(source.requests(), base)).isEmpty();
    }
  }

  @Test
  void candidateAnswering403IsNeitherMountedFromNorAFailureAndTheBlobIsUploaded() {
    seed(source, "app", image);
    answerAtDestination(r -> r.getUrl().encodedPath().startsWith("/v2/locked/")
        ? status(r, 403) : null);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      copier.addMountCandidates(destinationClient, List.of("locked"));

      CopyResult result = copy(copier, "app", image);

      assertThat(result.blobsUploaded()).isEqualTo(3);
      assertThat(destination.requests()).noneMatch(r -> r.contains("from=locked"));
      assertThat(destination.hasBlob("app", base.digest())).isTrue();
    }
  }

  @Test
  void aServerErrorAtACandidateEndsTheSearchAndTheBlobIsUploaded() {
    seed(source, "app", image);
    destination.putBlob("holder", base.bytes());
    answerAtDestination(r -> r.getUrl().encodedPath().startsWith("/v2/failing/")
        ? status(r, 503) : null);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      copier.addMountCandidates(destinationClient, List.of("holder", "failing"));

      CopyResult result = copy(copier, "app", image);

      assertThat(result.blobsUploaded()).isEqualTo(3);
      assertThat(destination.requests()).noneMatch(r -> r.contains("/v2/holder/"));
    }
  }

  @Test
  void asksAtMostMaxMountProbesCandidatesPerMissingBlob() {
    seed(source, "app", image);
    List<String> empty = IntStream.range(0, 12).mapToObj(i -> "empty" + i).toList();
    try (ImageCopier copier = ImageCopier.builder().maxMountProbes(3).build()) {
      copier.addMountCandidates(destinationClient, empty);

      copy(copier, "app", image);

      for (TestBlob blob : image.blobs()) {
        assertThat(about(destination.requests(), blob))
            .filteredOn(r -> r.startsWith("HEAD ") && !r.startsWith("HEAD /v2/app/"))
            .hasSize(3);
      }
    }
  }

  @Test
  void aRepositoryTheCopierCopiedIntoIsNotAskedAboutLaterBlobs() {
    TestImage second = imageOn(base, 302);
    seed(source, "first", image);
    seed(source, "second", second);
    try (ImageCopier copier = ImageCopier.builder().build()) {
      copier.addMountCandidates(destinationClient, List.of("first", "second"));
      copy(copier, "first", image);
      int before = destination.requests().size();

      CopyResult result = copy(copier, "second", second);

      List<String> later = destination.requests().subList(before, destination.requests().size());
      assertThat(later).noneMatch(r -> r.startsWith("HEAD /v2/first/"));
      assertThat(result.blobsMounted()).isEqualTo(1);
      assertThat(later)
          .contains("POST /v2/second/blobs/uploads/?mount=" + base.digest() + "&from=first");
    }
  }

  @Test
  void aColdCopyOfImagesIntoNamedRepositoriesAsksOnlyThoseNotCopiedIntoYet() {
    List<String> repositories = List.of("r1", "r2", "r3", "r4");
    List<TestImage> images = new ArrayList<>();
    for (int i = 0; i < repositories.size(); i++) {
      images.add(imageOn(base, 310 + i));
      seed(source, repositories.get(i), images.get(i));
    }
    try (ImageCopier copier = ImageCopier.builder().build()) {
      copier.addMountCandidates(destinationClient, repositories);
      Set<String> seen = new HashSet<>();
      long probes = 0;
      long expected = 0;

      for (int i = 0; i < repositories.size(); i++) {
        int before = destination.requests().size();
        copy(copier, repositories.get(i), images.get(i));
        String target = "HEAD /v2/" + repositories.get(i) + "/";
        probes += destination.requests().subList(before, destination.requests().size()).stream()
            .filter(r -> r.startsWith("HEAD /v2/") && r.contains("/blobs/"))
            .filter(r -> !r.startsWith(target))
            .count();
        // a blob new to the copier is asked about in the repositories not copied into yet (the
        // later ones); one it placed before is mounted from there without asking
        for (TestBlob blob : images.get(i).blobs()) {
          if (seen.add(blob.digest())) {
            expected += repositories.size() - 1 - i;
          }
        }
      }

      assertThat(probes).isEqualTo(expected).isLessThan(3L * seen.size());
    }
  }

  @Test
  void asksCandidatesSharingTheTargetsPathFirstThenTheMostRecentlyNamed() {
    seed(source, "team/app", image);
    destination.putBlob("team/lib", base.bytes());
    destination.putBlob("other/newest", base.bytes());
    try (ImageCopier copier = ImageCopier.builder().maxMountProbes(1).build()) {
      copier.addMountCandidates(destinationClient, List.of("team/lib", "other/old"));
      copier.addMountCandidates(destinationClient, List.of("other/newest"));

      copy(copier, "team/app", image);

      List<String> probes = new ArrayList<>(about(destination.requests(), base));
      probes.removeIf(r -> !r.startsWith("HEAD ") || r.startsWith("HEAD /v2/team/app/"));
      assertThat(probes).containsExactly("HEAD /v2/team/lib/blobs/" + base.digest());
    }
  }

  @Test
  void rejectsAnInvalidCandidateNameAndAddsNone() {
    try (ImageCopier copier = ImageCopier.builder().build()) {
      assertThatThrownBy(() ->
              copier.addMountCandidates(destinationClient, List.of("good", "Not//Valid")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Not//Valid");
      seed(source, "app", image);

      copy(copier, "app", image);

      assertThat(destination.requests()).noneMatch(r -> r.contains("/v2/good/"));
    }
  }
}
