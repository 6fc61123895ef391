package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.registry.testing.ImagePush;
import dev.satellite.registry.testing.faults.Fault;
import dev.satellite.registry.testing.faults.FaultProxy;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client reading a real registry through a {@link FaultProxy}: a manifest or tag list whose body
 * breaks off before its end is asked for again (a bounded number of times), as a connection failure
 * before the response is. Blob bodies resume with {@code Range} instead ({@link
 * SyncFaultIT#interruptedBlobDownloadResumesWithRangeInsteadOfRestarting}). An upload whose
 * committing {@code PUT} the registry carried out but whose answer was lost is complete: the
 * registry has the blob.
 */
@RequiresRegistry
class RegistryClientFaultIT {
  private static final String MANIFEST = "/v2/app/manifests/.+";
  private static DistributionRegistry registry;
  private static FaultProxy proxy;
  private static RegistryClient client;
  private static TestImage image;

  @BeforeAll
  static void start() {
    registry = DistributionRegistry.builder().start();
    proxy = FaultProxy.to(registry.hostPort());
    client = RegistryClient.builder(proxy.baseUrl())
        .retryBaseDelay(Duration.ofMillis(20))
        .build();
    image = TestImages.image(TestImages.Format.OCI, 1, TestBlob.random(1, 1024));
    ImagePush.push(client, "app", image, "v1", "v2", "v3");
  }

  @AfterAll
  static void stop() {
    client.close();
    proxy.close();
    registry.close();
  }

  @AfterEach
  void disarm() {
    proxy.clearFaults();
    proxy.resetTraffic();
  }

  @Test
  void manifestWhoseBodyBreaksOffIsAskedForAgain() {
    proxy.inject("GET", MANIFEST, 2, Fault.truncate(10));

    Manifest manifest = client.getManifest("app", image.digest());

    assertThat(manifest.bytes()).isEqualTo(image.manifest());
    assertThat(proxy.awaitExchanges("GET", MANIFEST, 3, java.time.Duration.ofSeconds(5)))
        .hasSize(3);
  }

  @Test
  void manifestWhoseBodyKeepsBreakingOffFailsNamingTheManifestAndTheRegistry() {
    proxy.inject("GET", MANIFEST, Integer.MAX_VALUE, Fault.dropAfter(5));

    assertThatThrownBy(() -> client.getManifest("app", image.digest()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("GET manifest app@" + image.digest())
        .hasMessageContaining(proxy.hostPort())
        .hasMessageContaining("reading the response failed");
    assertThat(proxy.awaitExchanges("GET", MANIFEST, 3, java.time.Duration.ofSeconds(5)))
        .hasSize(3);
  }

  @Test
  void inMemoryBlobWhoseCommitAnswerIsLostIsPushedAndTheRegistryHasIt() {
    TestBlob blob = TestBlob.random(101, 4096);
    loseTheAnswerToTheFirstCommitIn("lost/bytes");

    assertThat(client.pushBlob("lost/bytes", blob.bytes())).hasToString(blob.digest());

    assertPushed("lost/bytes", blob, "POST 202", "PUT lost", "PUT 404", "HEAD 200");
  }

  @Test
  void streamedBlobWhoseCommitAnswerIsLostIsPushedAndTheRegistryHasIt() {
    TestBlob blob = TestBlob.random(102, 4096);
    loseTheAnswerToTheFirstCommitIn("lost/streamed");

    client.pushBlob("lost/streamed", Digest.parse(blob.digest()), blob.size(), blob.open());

    assertPushed("lost/streamed", blob, "POST 202", "PUT lost", "HEAD 200");
  }

  @Test
  void chunkedBlobWhoseClosingPutAnswerIsLostIsPushedAndTheRegistryHasIt() {
    TestBlob blob = TestBlob.random(103, 4096);
    loseTheAnswerToTheFirstCommitIn("lost/chunked");

    client.pushBlob("lost/chunked", Digest.parse(blob.digest()), -1, blob.open());

    assertPushed("lost/chunked", blob, "POST 202", "PATCH 202", "PUT lost", "PUT 404", "HEAD 200");
  }

  private static void loseTheAnswerToTheFirstCommitIn(String repository) {
    proxy.resetTraffic();
    proxy.inject("PUT", "/v2/" + repository + "/blobs/uploads/.+", 1, Fault.loseAnswer());
  }

  /**
   * The blob exchanges with {@code repository} were {@code traffic} ("METHOD status", "lost" for
   * the answer the proxy swallowed), and the registry itself, not through the proxy, has the blob.
   */
  private static void assertPushed(String repository, TestBlob blob, String... traffic) {
    List<String> seen = proxy.awaitExchanges(null, "/v2/" + repository + "/blobs/.+",
            traffic.length, Duration.ofSeconds(5)).stream()
        .map(e -> e.method() + " " + (e.fault() != null ? "lost" : e.status()))
        .toList();
    assertThat(seen).as(proxy.describeTraffic()).containsExactly(traffic);
    try (RegistryClient direct = RegistryClient.builder(registry.baseUrl()).build()) {
      assertThat(direct.headBlob(repository, Digest.parse(blob.digest()))).isPresent();
    }
  }

  @Test
  void tagListWhoseBodyBreaksOffIsAskedForAgain() {
    proxy.inject("GET", "/v2/app/tags/list", 1, Fault.dropAfter(3));

    assertThat(client.listTags("app")).containsExactlyInAnyOrder("v1", "v2", "v3");
  }
}
