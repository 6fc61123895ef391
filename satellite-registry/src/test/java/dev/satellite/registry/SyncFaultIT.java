package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.Reconciler;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncReport;
import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.registry.testing.faults.Exchange;
import dev.satellite.registry.testing.faults.Fault;
import dev.satellite.registry.testing.faults.FaultProxy;
import dev.satellite.registry.testing.faults.SyncRig;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Syncs between two real registries with faults injected by a {@link FaultProxy} in front of
 * each: every transient fault is absorbed (the pass ends ok, the edge holds exactly the desired
 * state, the checkpoint records exactly that); a permanent fault fails the entities it touches,
 * each on its own, and leaves the previous checkpoint and edge content as they were until it
 * clears. Unit-level counterparts: {@link RetryTest}, {@link BlobClientTest}, {@link
 * ImageCopierTest#retriesAFailedBlobTransferFromTheStart}.
 */
@RequiresRegistry
class SyncFaultIT {
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static SyncRig shared;

  private SyncRig rig;
  private String ns;
  private String imageBlob;
  private String imageManifest;
  private StateStore store = new InMemoryStateStore();
  private final TestBlob base = TestBlob.random(7, 64 * 1024);
  private Map<String, List<StateImage>> groups;
  private String stateRef;

  @BeforeAll
  static void startRegistries() {
    shared = new SyncRig();
  }

  @AfterAll
  static void stopRegistries() {
    shared.close();
  }

  /** Pushes and publishes g1 (app1:v1+latest, app2:v1) and g2 (app3:v1) in a fresh namespace. */
  private void start(SyncRig using) {
    rig = using;
    ns = "t" + TESTS.incrementAndGet();
    imageBlob = "/v2/" + ns + "/.+/blobs/sha256:[0-9a-f]+";
    imageManifest = "/v2/" + ns + "/.+/manifests/.+";
    Digest app1 = rig.push(repo("app1"), 10, List.of(base, TestBlob.random(10, 32 * 1024)));
    Digest app2 = rig.push(repo("app2"), 20, List.of(base, TestBlob.random(20, 32 * 1024)));
    Digest app3 = rig.push(repo("app3"), 30);
    groups = new LinkedHashMap<>();
    groups.put("g1", List.of(StateImage.pinned(repo("app1"), app1, "v1", "latest"),
        StateImage.pinned(repo("app2"), app2, "v1")));
    groups.put("g2", List.of(StateImage.pinned(repo("app3"), app3, "v1")));
    stateRef = rig.publish(groups);
    rig.upstreamProxy.resetTraffic();
    rig.edgeProxy.resetTraffic();
  }

  private void start() {
    start(shared);
  }

  private String repo(String name) {
    return ns + "/" + name;
  }

  private List<String> repos() {
    return List.of(repo("app1"), repo("app2"), repo("app3"), repo("app4"));
  }

  @AfterEach
  void disarm() {
    store.close();
    shared.upstreamProxy.clearFaults();
    shared.edgeProxy.clearFaults();
    if (rig != null && rig != shared) {
      rig.close();
    }
  }

  private SyncReport sync() {
    return sync(b -> {});
  }

  private SyncReport sync(Consumer<Reconciler.Builder> options) {
    try (ImageCopier copier = ImageCopier.builder().retryDelayMillis(100).maxBlobAttempts(5)
        .build()) {
      return rig.sync(stateRef, store, copier, options.andThen(b -> b.groupParallelism(2)));
    }
  }

  private void assertEdgeAndCheckpointHoldExactlyTheDesiredState(SyncReport report) {
    assertThat(report.ok()).as(report.toJson()).isTrue();
    Map<String, String> desired = SyncRig.desiredTags(groups.values());
    assertThat(rig.edgeTags(repos())).isEqualTo(desired);
    assertThat(SyncRig.checkpointTags(store.load().orElseThrow())).isEqualTo(desired);
  }

  @Test
  void syncCompletesWhenUpstreamDropsBlobConnectionsMidBody() {
    start();
    rig.upstreamProxy.inject("GET", imageBlob, 3, Fault.dropAfter(100));

    SyncReport report = sync();

    assertEdgeAndCheckpointHoldExactlyTheDesiredState(report);
    assertThat(rig.upstreamProxy.faultsApplied()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503})
  void syncCompletesAfterServerErrorsOnBothSides(int status) {
    start();
    rig.upstreamProxy.inject(null, "/v2/" + ns + "/.+", 3, Fault.status(status));
    rig.edgeProxy.inject(null, "/v2/" + ns + "/.+", 3, Fault.status(status));

    SyncReport report = sync();

    assertEdgeAndCheckpointHoldExactlyTheDesiredState(report);
    assertThat(rig.upstreamProxy.faultsApplied() + rig.edgeProxy.faultsApplied()).isEqualTo(6);
  }

  @Test
  void syncWaitsTheRetryAfterOf429ThenCompletes() {
    start();
    rig.upstreamProxy.inject("GET", imageManifest, 1, Fault.tooManyRequests(2));

    long started = System.nanoTime();
    SyncReport report = sync();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertEdgeAndCheckpointHoldExactlyTheDesiredState(report);
    assertThat(took).as("the 2 s of Retry-After, not the 50 ms backoff")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(rig.upstreamProxy.exchanges("GET", imageManifest))
        .filteredOn(e -> e.status() == 429).hasSize(1);
  }

  @Test
  void syncCompletesWhenResponsesStallPastTheReadTimeout() {
    start(new SyncRig(Duration.ofSeconds(1)));
    rig.upstreamProxy.inject("GET", imageManifest, 1, Fault.stall(Duration.ofSeconds(3)));
    rig.edgeProxy.inject("HEAD", imageManifest, 1, Fault.stall(Duration.ofSeconds(3)));

    SyncReport report = sync();

    assertEdgeAndCheckpointHoldExactlyTheDesiredState(report);
    assertThat(rig.upstreamProxy.faultsApplied() + rig.edgeProxy.faultsApplied()).isEqualTo(2);
  }

  @Test
  void publishingAndSyncCompleteWhenTheAnswersToBlobCommitsAreLost() {
    start();
    String stateUploads = "/v2/satellite/.+/blobs/uploads/.+";
    rig.upstreamProxy.inject("PUT", stateUploads, 2, Fault.loseAnswer());
    stateRef = rig.publish(groups);
    rig.edgeProxy.inject("PUT", "/v2/" + ns + "/.+/blobs/uploads/.+", 2, Fault.loseAnswer());

    SyncReport report = sync();

    assertEdgeAndCheckpointHoldExactlyTheDesiredState(report);
    assertThat(rig.upstreamProxy.exchanges("PUT", stateUploads).stream()
            .map(e -> e.fault() != null ? "lost" : Integer.toString(e.status())))
        .as("the first commit and its retry lost their answers; the next retry met the session"
            + " the registry had consumed, and the blob was there")
        .startsWith("lost", "lost", "404")
        .containsOnly("lost", "404", "201");
    assertThat(rig.edgeProxy.faultsApplied()).isEqualTo(2);
  }

  @Test
  void syncCompletesAfterBlobResponsesShorterThanTheirContentLength() {
    start();
    rig.upstreamProxy.inject("GET", imageBlob, 3, Fault.truncate(1000));

    SyncReport report = sync();

    assertEdgeAndCheckpointHoldExactlyTheDesiredState(report);
    assertThat(rig.upstreamProxy.exchanges("GET", imageBlob))
        .filteredOn(e -> e.fault() != null).hasSize(3);
  }

  @Test
  void syncCompletesAfterATruncatedManifestWithinThePass() {
    start();
    rig.upstreamProxy.inject("GET", imageManifest, 1, Fault.truncate(10));

    SyncReport report = sync();

    assertEdgeAndCheckpointHoldExactlyTheDesiredState(report);
  }

  @Test
  void syncCompletesWhenTheEdgeRefusesConnectionsForAWhile() {
    start();
    rig.edgeProxy.inject("PUT", imageManifest, 1, Fault.refuseConnections(
        Duration.ofMillis(300)));

    SyncReport report = sync();

    assertEdgeAndCheckpointHoldExactlyTheDesiredState(report);
    assertThat(rig.edgeProxy.faultsApplied()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"upstream", "edge"})
  void permanentFaultFailsEachEntityAndKeepsThePreviousCheckpointAndEdge(String side,
      @TempDir Path dir) throws Exception {
    Path checkpoint = dir.resolve("checkpoint.json");
    store = AtomicFileStateStore.open(checkpoint);
    start();
    assertEdgeAndCheckpointHoldExactlyTheDesiredState(sync());
    Map<String, String> before = SyncRig.checkpointTags(store.load().orElseThrow());
    byte[] file = Files.readAllBytes(checkpoint);
    Digest app1moved = rig.push(repo("app1"), 11);
    Digest app4 = rig.push(repo("app4"), 40);
    groups.put("g1", List.of(StateImage.pinned(repo("app1"), app1moved, "v1"),
        StateImage.pinned(repo("app1"), Digest.parse(before.get(repo("app1") + ":latest")), "latest"),
        groups.get("g1").get(1)));
    groups.put("g2", List.of(groups.get("g2").get(0), StateImage.pinned(repo("app4"), app4, "v1")));
    rig.publish(groups);
    FaultProxy faulty = side.equals("upstream") ? rig.upstreamProxy : rig.edgeProxy;
    faulty.inject(side.equals("upstream") ? "GET" : "PUT", imageManifest, Integer.MAX_VALUE,
        Fault.status(503));

    SyncReport failed = sync();

    assertThat(failed.ok()).isFalse();
    assertThat(failed.failures())
        .extracting(f -> f.repository() + ":" + f.tag() + " " + f.operation())
        .containsExactlyInAnyOrder(repo("app1") + ":v1 REPLICATE", repo("app4") + ":v1 REPLICATE");
    assertThat(failed.failures()).allSatisfy(f -> assertThat(f.reason())
        .contains("503")
        .as("names the entity once").startsWith("copy " + f.repository() + ":" + f.tag() + "@")
        .containsOnlyOnce(f.repository() + ":" + f.tag() + "@"));
    assertThat(failed.unchanged()).isEqualTo(3);
    assertThat(SyncRig.checkpointTags(store.load().orElseThrow())).isEqualTo(before);
    assertThat(Files.readAllBytes(checkpoint)).as("the checkpoint file was not rewritten")
        .isEqualTo(file);
    assertThat(rig.edgeTags(repos())).isEqualTo(before);

    faulty.clearFaults();
    assertEdgeAndCheckpointHoldExactlyTheDesiredState(sync());
  }

  @Test
  void interruptedBlobDownloadResumesWithRangeInsteadOfRestarting() {
    start();
    TestBlob big = TestBlob.random(99, 4 * 1024 * 1024);
    Digest app4 = rig.push(repo("app4"), 40, List.of(big));
    groups.put("g2", List.of(StateImage.pinned(repo("app4"), app4, "v1")));
    stateRef = rig.publish(groups);
    String bigPath = "/v2/" + repo("app4") + "/blobs/" + big.digest();
    int cut = 1024 * 1024;
    rig.upstreamProxy.resetTraffic();
    rig.upstreamProxy.inject("GET", bigPath, 1, Fault.dropAfter(cut));

    SyncReport report = sync();

    assertEdgeAndCheckpointHoldExactlyTheDesiredState(report);
    List<Exchange> gets = rig.upstreamProxy.exchanges("GET", bigPath);
    assertThat(gets).as(rig.upstreamProxy.describeTraffic()).hasSize(2);
    assertThat(gets.get(0).range()).isNull();
    assertThat(gets.get(0).bodyBytes()).isEqualTo(cut);
    assertThat(gets.get(1).range()).isEqualTo("bytes=" + cut + "-");
    assertThat(gets.get(1).status()).isEqualTo(206);
    assertThat(rig.upstreamProxy.bodyBytes("GET", bigPath))
        .as("the blob crossed the link once, not once and a quarter")
        .isEqualTo(big.size());
  }
}
