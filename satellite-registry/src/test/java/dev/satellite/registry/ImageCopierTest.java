package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.SatelliteException;
import dev.satellite.registry.testing.FakeRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import dev.satellite.testing.TestIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The copier's protocol branches, against in-memory registries that record every request: what is
 * asked, in which order, and what is never asked.
 */
class ImageCopierTest {
  private final MockWebServer sourceServer = new MockWebServer();
  private final MockWebServer destinationServer = new MockWebServer();
  private final FakeRegistry source = new FakeRegistry();
  private final FakeRegistry destination = new FakeRegistry();
  private RegistryClient sourceClient;
  private RegistryClient destinationClient;
  private ImageCopier copier;

  @BeforeEach
  void start() throws Exception {
    sourceServer.setDispatcher(source);
    destinationServer.setDispatcher(destination);
    sourceServer.start();
    destinationServer.start();
    sourceClient = client(sourceServer);
    destinationClient = client(destinationServer);
    copier = ImageCopier.builder().blobParallelism(2).build();
  }

  @AfterEach
  void stop() {
    copier.close();
    sourceClient.close();
    destinationClient.close();
    sourceServer.close();
    destinationServer.close();
  }

  @Test
  void tagAlreadyAtDigestIsDoneAfterOneHeadAndNothingFromSource() {
    TestImage image = image(1);
    seedSource("app", image);
    destination.putManifest("app", image.mediaType(), image.manifest(), "v1");

    CopyResult result = copy("app", image.digest(), "app", "v1");

    assertThat(result.alreadyPresent()).isTrue();
    assertThat(withoutPing(source.requests())).isEmpty();
    assertThat(withoutPing(destination.requests())).containsExactly("HEAD /v2/app/manifests/v1");
  }

  @Test
  void fetchesSourceManifestByDigestNotByTag() {
    TestImage image = image(2);
    seedSource("app", image, "v1");

    copy("app", image.digest(), "app", "v1");

    assertThat(source.requests())
        .contains("GET /v2/app/manifests/" + image.digest())
        .noneMatch(r -> r.contains("/manifests/v1"));
  }

  @Test
  void skipsBlobAlreadyAtDestination() {
    TestBlob base = TestBlob.random(10, 3000);
    TestImage image = TestImages.image(Format.OCI, 3, base, TestBlob.random(11, 2000));
    seedSource("app", image);
    destination.putBlob("app", base.bytes());

    CopyResult result = copy("app", image.digest(), "app", "v1");

    assertThat(result.blobsSkipped()).isEqualTo(1);
    assertThat(result.blobsUploaded()).isEqualTo(2);
    assertThat(result.bytesCopied()).isEqualTo(image.blobBytes() - base.size());
    assertThat(source.requests()).noneMatch(r -> r.equals("GET /v2/app/blobs/" + base.digest()));
  }

  @Test
  void copiesManifestBytesUnchangedUnderDigestAndTag() {
    TestImage image = TestImages.image(Format.DOCKER, 4, TestBlob.random(12, 1000));
    seedSource("library/app", image);

    CopyResult result = copy("library/app", image.digest(), "edge/app", "v1");

    assertThat(result.digest().toString()).isEqualTo(image.digest());
    assertThat(destination.manifest("edge/app", image.digest())).contains(image.manifest());
    assertThat(destination.manifest("edge/app", "v1")).contains(image.manifest());
    assertThat(result.manifestsPushed()).isEqualTo(1);
  }

  @Test
  void digestMismatchFailsAndCommitsNothing() {
    TestBlob layer = TestBlob.random(13, 50_000);
    TestImage image = TestImages.image(Format.OCI, 5, layer);
    seedSource("app", image);
    source.serveInstead("app", layer.digest(), TestBlob.random(14, 50_000).bytes());

    assertThatThrownBy(() -> copy("app", image.digest(), "app", "v1"))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(layer.digest());

    assertThat(destination.hasBlob("app", layer.digest())).isFalse();
    assertThat(destination.manifest("app", "v1")).isEmpty();
    assertThat(destination.manifest("app", image.digest())).isEmpty();
    assertThat(destination.requests()).noneMatch(r -> r.startsWith("PUT /v2/app/manifests/"));
  }

  @Test
  void triesMountFromAnotherRepositoryBeforeUploading() {
    TestImage second = copyFirstOfTwoImagesSharingABase(20);
    TestBlob base = second.layers().get(0);
    int before = source.requests().size();

    CopyResult result = copy("two", second.digest(), "two", "v1");

    assertThat(result.blobsMounted()).isEqualTo(1);
    List<String> baseRequests =
        destination.requests().stream()
            .filter(r -> r.contains("/v2/two/") && r.contains(base.digest()))
            .toList();
    assertThat(baseRequests)
        .containsExactly(
            "HEAD /v2/two/blobs/" + base.digest(),
            "POST /v2/two/blobs/uploads/?mount=" + base.digest() + "&from=one");
    assertThat(source.requests().subList(before, source.requests().size()))
        .noneMatch(r -> r.contains(base.digest()));
  }

  @Test
  void uploadsWhenTheRegistryDoesNotMount() {
    TestImage second = copyFirstOfTwoImagesSharingABase(23);
    TestBlob base = second.layers().get(0);
    destination.deleteBlob("one", base.digest());

    CopyResult result = copy("two", second.digest(), "two", "v1");

    assertThat(result.blobsMounted()).isZero();
    assertThat(result.blobsUploaded()).isEqualTo(3);
    assertThat(destination.hasBlob("two", base.digest())).isTrue();
  }

  @Test
  void uploadsWhenTheRegistryRefusesTheMountWithAnError() {
    TestImage second = copyFirstOfTwoImagesSharingABase(26);
    TestBlob base = second.layers().get(0);
    destination.refuseMounts(403);

    CopyResult result = copy("two", second.digest(), "two", "v1");

    assertThat(destination.requests())
        .contains("POST /v2/two/blobs/uploads/?mount=" + base.digest() + "&from=one");
    assertThat(result.blobsMounted()).isZero();
    assertThat(destination.hasBlob("two", base.digest())).isTrue();
  }

  /**
   * Seeds repositories "one" and "two" at the source with two images sharing a base layer, copies
   * the first to "one" at the destination, and returns the second (base layer first).
   */
  private TestImage copyFirstOfTwoImagesSharingABase(long seed) {
    TestBlob base = TestBlob.random(seed, 8000);
    TestImage first = TestImages.image(Format.OCI, seed + 1, base, TestBlob.random(seed + 1, 100));
    TestImage second = TestImages.image(Format.OCI, seed + 2, base, TestBlob.random(seed + 2, 100));
    seedSource("one", first);
    seedSource("two", second);
    copy("one", first.digest(), "one", "v1");
    return second;
  }

  @Test
  void retriesAFailedBlobTransferFromTheStart() {
    TestImage image = TestImages.image(Format.OCI, 90, TestBlob.random(91, 6000));
    seedSource("app", image);
    destination.failNextUploads(1, 500);
    TestBlob first = image.blobs().get(0);

    CopyResult result;
    try (ImageCopier patient =
        ImageCopier.builder().blobParallelism(1).retryDelayMillis(1).build()) {
      result = patient.copy(CopyRequest.of(sourceClient, "app", Digest.parse(image.digest()))
              .to(destinationClient, "app")
              .tags(List.of("v1")));
    }

    assertThat(result.blobsUploaded()).isEqualTo(2);
    assertThat(source.requests())
        .filteredOn(r -> r.equals("GET /v2/app/blobs/" + first.digest()))
        .hasSize(2);
    assertThat(destination.hasBlob("app", first.digest())).isTrue();
  }

  @Test
  void doesNotRetryABlobTransferTheRegistryRefused() {
    TestImage image = TestImages.image(Format.OCI, 92, TestBlob.random(93, 6000));
    seedSource("app", image);
    destination.failNextUploads(1, 403);

    try (ImageCopier patient =
        ImageCopier.builder().blobParallelism(1).retryDelayMillis(1).build()) {
      assertThatThrownBy(() -> patient.copy(CopyRequest.of(sourceClient, "app", Digest.parse(image.digest()))
              .to(destinationClient, "app")
              .tags(List.of("v1"))))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("403");
    }
    assertThat(source.requests()).filteredOn(r -> r.startsWith("GET /v2/app/blobs/")).hasSize(1);
    assertThat(destination.manifest("app", "v1")).isEmpty();
  }

  @Test
  void copiesBlobsInParallelUpToTheConfiguredBound() {
    List<TestBlob> layers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      layers.add(TestBlob.random(95 + i, 1000));
    }
    TestImage image = TestImages.image(Format.OCI, "linux", "amd64", 94, layers);
    seedSource("app", image);
    source.delayBlobGets(300);

    try (ImageCopier threeAtATime = ImageCopier.builder().blobParallelism(3).build()) {
      threeAtATime.copy(CopyRequest.of(sourceClient, "app", Digest.parse(image.digest()))
              .to(destinationClient, "app")
              .tags(List.of("v1")));
    }

    assertThat(source.maxConcurrentBlobGets()).isBetween(2, 3);
  }

  @Test
  void pushesBlobsThenChildManifestsThenIndexThenTag() {
    TestIndex index = TestImages.multiArch(Format.OCI, 30, TestBlob.random(31, 4000));
    seedSource("app", index);

    CopyResult result = copy("app", index.digest(), "app", "v1");

    List<String> writes =
        destination.requests().stream().filter(r -> r.startsWith("PUT ")).toList();
    String child0 = "PUT /v2/app/manifests/" + index.children().get(0).digest();
    String child1 = "PUT /v2/app/manifests/" + index.children().get(1).digest();
    String indexPut = "PUT /v2/app/manifests/" + index.digest();
    assertThat(writes).endsWith(child1, indexPut, "PUT /v2/app/manifests/v1");
    assertThat(writes.indexOf(child0)).isLessThan(writes.indexOf(child1));
    assertThat(writes.subList(0, writes.indexOf(child0)))
        .isNotEmpty()
        .allMatch(r -> r.startsWith("PUT /v2/app/blobs/uploads/"));
    assertThat(result.manifestsPushed()).isEqualTo(3);
    assertThat(result.digest().toString()).isEqualTo(index.digest());
  }

  @Test
  void skipsIndexChildAlreadyAtDestination() {
    TestIndex index = TestImages.multiArch(Format.DOCKER, 40, TestBlob.random(41, 4000));
    seedSource("app", index);
    TestImage present = index.children().get(0);
    seedDestination("app", present);

    CopyResult result = copy("app", index.digest(), "app", "v1");

    assertThat(result.manifestsSkipped()).isEqualTo(1);
    assertThat(result.manifestsPushed()).isEqualTo(2);
    assertThat(source.requests()).doesNotContain("GET /v2/app/manifests/" + present.digest());
  }

  @Test
  void platformFilterPushesAnIndexOfTheMatchingChildrenOnly() {
    TestIndex index = TestImages.multiArch(Format.OCI, 50, TestBlob.random(51, 4000));
    seedSource("app", index);
    TestImage amd64 = index.children().get(0);
    TestImage arm64 = index.children().get(1);
    try (ImageCopier filtered =
        ImageCopier.builder().platforms(List.of(Platform.parse("linux/arm64"))).build()) {

      CopyResult result =
          filtered.copy(CopyRequest.of(sourceClient, "app", Digest.parse(index.digest()))
                  .to(destinationClient, "app")
                  .tags(List.of("v1")));

      assertThat(result.digest().toString()).isNotEqualTo(index.digest());
      assertThat(destination.manifest("app", arm64.digest())).isPresent();
      assertThat(destination.manifest("app", amd64.digest())).isEmpty();
      byte[] pushed = destination.manifest("app", "v1").orElseThrow();
      assertThat(Manifest.of(MediaTypes.OCI_INDEX, pushed).children())
          .extracting(d -> d.digest().toString())
          .containsExactly(arm64.digest());
    }
  }

  @Test
  void platformFilterMatchingNoChildFailsNamingWhatIsOffered() {
    TestIndex index = TestImages.multiArch(Format.OCI, 60, TestBlob.random(61, 4000));
    seedSource("app", index);
    try (ImageCopier filtered =
        ImageCopier.builder().platforms(List.of(Platform.parse("windows/amd64"))).build()) {
      assertThatThrownBy(
              () -> filtered.copy(CopyRequest.of(sourceClient, "app", Digest.parse(index.digest()))
                      .to(destinationClient, "app")
                      .tags(List.of("v1"))))
          .isInstanceOf(SatelliteException.class)
          .hasMessageContaining("windows/amd64")
          .hasMessageContaining("linux/arm64");
    }
    assertThat(destination.manifest("app", "v1")).isEmpty();
  }

  @Test
  void reportsStreamedBytesToProgress() {
    TestImage image = image(70);
    seedSource("app", image);
    AtomicLong reported = new AtomicLong();

    copier.copy(CopyRequest.of(sourceClient, "app", Digest.parse(image.digest()))
            .to(destinationClient, "app")
            .tags(List.of("v1"))
            .progress(reported::addAndGet));

    assertThat(reported.get()).isEqualTo(image.blobBytes());
  }

  @Test
  void rejectsInvalidRepositoryBeforeAnyRequest() {
    assertThatThrownBy(() -> copy("app", image(80).digest(), "Bad//Repo", "v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad//Repo");
    assertThat(withoutPing(destination.requests())).isEmpty();
  }

  private CopyResult copy(String from, String digest, String to, String tag) {
    return copier.copy(CopyRequest.of(sourceClient, from, Digest.parse(digest))
            .to(destinationClient, to)
            .tags(List.of(tag)));
  }

  private static TestImage image(long seed) {
    return TestImages.image(Format.OCI, seed, TestBlob.random(seed * 100, 5000),
        TestBlob.random(seed * 100 + 1, 7000));
  }

  private void seedSource(String repo, TestImage image, String... tags) {
    seed(source, repo, image, tags);
  }

  private void seedDestination(String repo, TestImage image) {
    seed(destination, repo, image);
  }

  private void seedSource(String repo, TestIndex index) {
    index.children().forEach(c -> seed(source, repo, c));
    source.putManifest(repo, index.mediaType(), index.manifest());
  }

  private static void seed(FakeRegistry fake, String repo, TestImage image, String... tags) {
    image.blobs().forEach(b -> fake.putBlob(repo, b.bytes()));
    fake.putManifest(repo, image.mediaType(), image.manifest(), tags);
  }

  private static List<String> withoutPing(List<String> requests) {
    List<String> rest = new ArrayList<>(requests);
    rest.removeIf(r -> r.equals("GET /v2/") || r.equals("GET /v2"));
    return rest;
  }

  private static RegistryClient client(MockWebServer server) {
    return RegistryClient.builder("http://127.0.0.1:" + server.getPort()).maxRetries(0).build();
  }
}
