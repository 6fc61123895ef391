package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.registry.RegistryClient;
import dev.satellite.testing.AccessLog;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A satellite killed with SIGKILL at random moments of a sync, against real registries: after
 * each kill a fresh process finishes the work, the checkpoint it left was loadable, the edge holds
 * exactly the desired state, and the upstream served after the restart only blobs the edge did not
 * have yet (counted in the upstream's access log).
 */
@RequiresRegistry
class CrashRecoveryIT {
  private static final int RUNS = 10;
  private static final int IMAGES = 6;

  @TempDir static Path dir;

  private static DistributionRegistry upstream;
  private static String stateRef;
  private static final Map<String, String> desired = new LinkedHashMap<>();

  @BeforeAll
  static void seedUpstream() {
    upstream = DistributionRegistry.builder().start();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    desired.putAll(DemoImages.push(upstream, IMAGES, 8, 24));
    assertThat(desired).hasSize(IMAGES);
    ByteArrayOutputStream ref = new ByteArrayOutputStream();
    assertThat(PublishStateCommand.run(new String[] {"--registry", upstream.baseUrl(), "--satellite",
        "edge-1", "--group", "g1=demo/app1:v1,demo/app2:v1,demo/app3:v1",
        "--group", "g2=demo/app4:v1,demo/app5:v1,demo/app6:v1"}, Map.of(),
        new PrintStream(ref, true, StandardCharsets.UTF_8), quiet)).isZero();
    stateRef = ref.toString(StandardCharsets.UTF_8).strip();
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void killedSyncIsFinishedByARestartWithoutFetchingWhatTheEdgeHas() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int killedMidSync = 0;
    for (int run = 1; run <= RUNS; run++) {
      String context = "run " + run + " (seed " + seed + ")";
      Path runDir = Files.createDirectories(dir.resolve("run-" + run));
      Path checkpoint = runDir.resolve("checkpoint.json");
      try (DistributionRegistry edge =
          DistributionRegistry.builder()
              .directory(Files.createDirectories(runDir.resolve("edge")))
              .start()) {
        List<String> args = List.of("--state", stateRef, "--destination", edge.baseUrl(),
            "--checkpoint", checkpoint.toString());

        // 1. A sync, killed after a random number of images landed, plus a random delay.
        int copiedBeforeKill = random.nextInt(IMAGES - 1);
        try (ChildJvm first =
            ChildJvm.start(runDir.resolve("first.log"), Map.of(), "sync", args)) {
          first.awaitLine(
              line -> line.contains("copied demo/app")
                  && first.output().split("copied demo/app", -1).length - 1 >= copiedBeforeKill,
              Duration.ofSeconds(60));
          Thread.sleep(random.nextInt(250));
          if (first.process().isAlive()) {
            killedMidSync++;
          }
          first.kill();
        }
        Set<String> atEdgeAfterKill = blobsAt(edge);
        int upstreamMark = upstream.requests().size();

        // 2. A fresh process finishes the work.
        try (ChildJvm second =
            ChildJvm.start(runDir.resolve("second.log"), Map.of(), "sync", args)) {
          assertThat(second.await(Duration.ofSeconds(120))).as(context + "\n" + second.output())
              .isZero();
        }

        // 3. The checkpoint loads, nothing was quarantined, the edge holds exactly the state.
        try (AtomicFileStateStore store = AtomicFileStateStore.open(checkpoint)) {
          assertThat(store.load()).as(context).get()
              .satisfies(c -> assertThat(c.entityCount()).isEqualTo(IMAGES));
        }
        try (Stream<Path> files = Files.list(runDir)) {
          assertThat(files.map(p -> p.getFileName().toString())).as(context)
              .noneMatch(name -> name.contains(".corrupt-"));
        }
        try (RegistryClient client = RegistryClient.builder(edge.baseUrl()).build()) {
          for (Map.Entry<String, String> image : desired.entrySet()) {
            String repository = image.getKey().substring(0, image.getKey().indexOf(':'));
            assertThat(client.listTags(repository)).as(context).containsExactly("v1");
            assertThat(client.headManifest(repository, "v1")).as(context + " " + repository)
                .get().satisfies(d -> assertThat(d.digest().toString()).isEqualTo(image.getValue()));
          }
        }

        // 4. After the restart, the upstream served only blobs the edge did not have.
        List<AccessLog.Entry> all = upstream.requests();
        List<String> refetched = new ArrayList<>();
        for (AccessLog.Entry e : all.subList(upstreamMark, all.size())) {
          if (e.isBlobGet() && !e.inRepositoryUnder("satellite/")) {
            String digest = e.path().substring(e.path().lastIndexOf('/') + 1);
            if (atEdgeAfterKill.contains(digest)) {
              refetched.add(e.path());
            }
          }
        }
        assertThat(refetched).as(context + ": blobs fetched again although at the edge").isEmpty();
      }
    }
    System.out.println(
        killedMidSync + " of " + RUNS + " kills hit a running sync (seed " + seed + ")");
    assertThat(killedMidSync).as("kills that hit a running sync (seed " + seed + ")")
        .isGreaterThanOrEqualTo(RUNS / 2);
  }

  /** Digests of the blobs committed in the edge's storage. */
  private static Set<String> blobsAt(DistributionRegistry edge) throws Exception {
    Path blobs = edge.storageDir().resolve("docker/registry/v2/blobs/sha256");
    Set<String> digests = new HashSet<>();
    if (!Files.isDirectory(blobs)) {
      return digests;
    }
    try (Stream<Path> files = Files.walk(blobs, 3)) {
      files.filter(p -> Files.exists(p.resolve("data")))
          .forEach(p -> digests.add("sha256:" + p.getFileName()));
    }
    return digests;
  }
}
