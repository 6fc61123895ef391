package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.Reconciler;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.registry.testing.faults.SyncRig;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 50 groups and 2,000 entities (one repository per group, 40 tags over two small images sharing a
 * base layer) synced between two real registries with 8 groups and 8 blobs at a time, in rounds
 * that each change the desired state: the first fills an empty edge; each later round moves ten
 * tags of every group to the other image and drops one group; a final pass restarts without a
 * checkpoint. After every pass the edge holds exactly the desired state and the checkpoint records
 * exactly what the edge holds (tags listed per repository). {@code -Dsatellite.soak.rounds=N}
 * (default 1) makes it a soak test.
 */
@RequiresRegistry
class SyncLoadIT {
  private static final int GROUPS = 50;
  private static final int TAGS = 40;
  private static final int ROUNDS = Integer.getInteger("satellite.soak.rounds", 1);

  private static DistributionRegistry upstreamRegistry;
  private static DistributionRegistry edgeRegistry;
  private static RegistryClient upstream;
  private static RegistryClient edge;
  private static StatePublisher publisher;
  private static final List<Digest[]> images = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    upstreamRegistry = DistributionRegistry.builder().start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstream = RegistryClient.builder(upstreamRegistry.baseUrl()).build();
    edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
    publisher = StatePublisher.builder(upstream).build();
    long started = System.nanoTime();
    TestBlob base = TestBlob.random(1, 16 * 1024);
    List<Callable<Digest[]>> pushes = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      int group = g;
      pushes.add(() -> new Digest[] {
          ImagePush.push(upstream, repository(group), image(base, group * 2L + 10)),
          ImagePush.push(upstream, repository(group), image(base, group * 2L + 11))});
    }
    images.addAll(eightAtATime(pushes));
    System.out.printf("load: %d images pushed upstream in %d ms%n", 2 * GROUPS,
        (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {upstream, edge, upstreamRegistry, edgeRegistry}) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private static String repository(int group) {
    return "load/r" + group;
  }

  private static TestImage image(TestBlob base, long seed) {
    return TestImages.image(TestImages.Format.OCI, "linux", "amd64", seed,
        List.of(base, TestBlob.random(seed, 2048), TestBlob.random(seed + 1000, 2048)));
  }

  /** Groups {@code from..GROUPS-1}; tags below {@code moved} point at the other image. */
  private static Map<String, List<StateImage>> desired(int from, int moved) {
    Map<String, List<StateImage>> groups = new LinkedHashMap<>();
    for (int g = from; g < GROUPS; g++) {
      List<String> first = new ArrayList<>();
      List<String> second = new ArrayList<>();
      for (int t = 0; t < TAGS; t++) {
        boolean even = t % 2 == 0;
        (even != t < moved ? first : second).add(String.format("t%02d", t));
      }
      Digest[] d = images.get(g);
      groups.put("g" + g, List.of(
          StateImage.pinned(repository(g), d[0], first.toArray(String[]::new)),
          StateImage.pinned(repository(g), d[1], second.toArray(String[]::new))));
    }
    return groups;
  }

  /** Publishes the group states, 8 at a time, then the satellite state listing them in order. */
  private static String publish(Map<String, List<StateImage>> groups) throws Exception {
    List<Callable<String>> publications = new ArrayList<>();
    groups.forEach((name, list) -> publications.add(() ->
        publisher.publishGroup(name, upstreamRegistry.baseUrl(), list).reference()));
    return publisher.publishSatellite("load", eightAtATime(publications), Optional.empty())
        .reference();
  }

  /** Runs {@code tasks} on 8 threads; their results in order. */
  private static <T> List<T> eightAtATime(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<T> results = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(tasks)) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }

  private static SyncReport sync(String state, StateStore store) {
    try (OciStateSource source = new OciStateSource(upstream, state);
        ImageCopier copier = ImageCopier.builder().blobParallelism(8).build();
        RegistryReplicator replicator =
            new RegistryReplicator(source.registryClients(), edge, copier)) {
      return Reconciler.builder().stateSource(source).replicator(replicator).stateStore(store)
          .groupParallelism(8).build().sync();
    }
  }

  /** {@code repository:tag} to digest at the edge, for every repository of every group. */
  private static Map<String, String> edgeTags() throws Exception {
    List<Callable<String[]>> heads = new ArrayList<>();
    for (int g = 0; g < GROUPS; g++) {
      String repo = repository(g);
      for (String tag : edge.listTags(repo)) {
        heads.add(() -> new String[] {repo + ":" + tag,
            edge.headManifest(repo, tag).orElseThrow().digest().toString()});
      }
    }
    Map<String, String> tags = new TreeMap<>();
    eightAtATime(heads).forEach(pair -> tags.put(pair[0], pair[1]));
    return tags;
  }

  private static void assertEdgeIsExactlyDesiredAndCheckpointMatches(
      SyncReport report, Map<String, List<StateImage>> groups, StateStore store)
      throws Exception {
    assertThat(report.ok()).as(report.toJson()).isTrue();
    long started = System.nanoTime();
    Map<String, String> atEdge = edgeTags();
    System.out.printf("load: %d edge tags listed and resolved in %d ms%n", atEdge.size(),
        (System.nanoTime() - started) / 1_000_000);
    assertThat(atEdge).isEqualTo(SyncRig.desiredTags(groups.values()));
    assertThat(SyncRig.checkpointTags(store.load().orElseThrow())).isEqualTo(atEdge);
  }

  @Test
  void twoThousandEntitiesInFiftyGroupsSyncExactlyRoundAfterRound() throws Exception {
    InMemoryStateStore store = new InMemoryStateStore();
    Map<String, List<StateImage>> groups = desired(0, 0);
    String state = publish(groups);
    assertThat(SyncRig.desiredTags(groups.values())).hasSize(GROUPS * TAGS);

    long started = System.nanoTime();
    SyncReport first = sync(state, store);
    System.out.printf("load: first pass %d ms, %d replicated, %d blobs uploaded, %d mounted,"
            + " %d skipped%n", (System.nanoTime() - started) / 1_000_000, first.replicated(),
        first.blobsUploaded(), first.blobsMounted(), first.blobsSkipped());

    assertEdgeIsExactlyDesiredAndCheckpointMatches(first, groups, store);
    assertThat(first.replicated()).isEqualTo(GROUPS * TAGS);

    for (int round = 1; round <= ROUNDS; round++) {
      groups = desired(round, round % 2 == 1 ? 10 : 0);
      publish(groups);
      started = System.nanoTime();
      SyncReport changed = sync(state, store);
      System.out.printf("load: round %d pass %d ms, %d replicated, %d pruned, %d unchanged%n",
          round, (System.nanoTime() - started) / 1_000_000, changed.replicated(),
          changed.pruned(), changed.unchanged());

      assertEdgeIsExactlyDesiredAndCheckpointMatches(changed, groups, store);
      assertThat(changed.pruned()).as("the dropped group's tags").isEqualTo(TAGS);
    }

    InMemoryStateStore fresh = new InMemoryStateStore();
    started = System.nanoTime();
    SyncReport restart = sync(state, fresh);
    System.out.printf("load: restart without checkpoint %d ms, %d unchanged%n",
        (System.nanoTime() - started) / 1_000_000, restart.unchanged());

    assertEdgeIsExactlyDesiredAndCheckpointMatches(restart, groups, fresh);
    assertThat(restart.replicated()).isZero();
  }
}
