package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that saves a changing checkpoint in a tight loop with SIGKILL at random
 * moments, and checks after every kill that the file holds a checkpoint the child wrote: the last
 * one whose save completed, or the one whose save was in flight. Never a torn file, never nothing
 * once a save completed. Each child continues on the file its predecessor left. Three lanes (own
 * directory, own file) run side by side to keep the wall time down.
 */
class CrashTest {
  private static final int LANES = 3;
  private static final int KILLS_PER_LANE = 8;
  private static final int MAX_DELAY_MILLIS = 200;
  private static final Duration LINE_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  /** What one lane saw. */
  private record LaneResult(
      int kills, int afterCompletedSave, int inFlightSaveLanded, long saves) {}

  @Test
  void checkpointSurvivesSigkillAtRandomMoments() throws Exception {
    long seed = System.nanoTime();
    ExecutorService lanes = Executors.newFixedThreadPool(LANES);
    try {
      List<Future<LaneResult>> futures = new ArrayList<>();
      for (int lane = 0; lane < LANES; lane++) {
        Path laneDir = Files.createDirectory(dir.resolve("lane-" + lane));
        Random random = new Random(seed + lane);
        futures.add(lanes.submit(() -> runLane(laneDir, random, "seed " + seed)));
      }
      int kills = 0;
      int afterCompletedSave = 0;
      int inFlightSaveLanded = 0;
      long saves = 0;
      for (Future<LaneResult> future : futures) {
        LaneResult result = future.get();
        kills += result.kills();
        afterCompletedSave += result.afterCompletedSave();
        inFlightSaveLanded += result.inFlightSaveLanded();
        saves += result.saves();
      }
      System.out.printf(
          "%d kills (seed %d): %d after at least one completed save, %d with the in-flight save"
              + " already in place; %d saves completed%n",
          kills, seed, afterCompletedSave, inFlightSaveLanded, saves);
      assertThat(kills).isGreaterThanOrEqualTo(20);
      assertThat(afterCompletedSave).isGreaterThanOrEqualTo(kills / 2);
    } finally {
      lanes.shutdownNow();
    }
  }

  /**
   * Every fourth child is killed at a random moment after it opened the store (often before or
   * during its first save); the others at a random moment after their first completed save.
   */
  private static LaneResult runLane(Path laneDir, Random random, String context) throws Exception {
    Path storeDir = Files.createDirectory(laneDir.resolve("store"));
    Path file = storeDir.resolve("state.json");
    Optional<Checkpoint> previous = Optional.empty();
    int afterCompletedSave = 0;
    int inFlightSaveLanded = 0;
    long saves = 0;
    for (int kill = 1; kill <= KILLS_PER_LANE; kill++) {
      long firstId = kill * 1_000_000L;
      List<String> output;
      Path childOutput = laneDir.resolve("child-" + kill + ".out");
      try (ChildJvm child =
          ChildJvm.start(childOutput, "save-loop", file.toString(), Long.toString(firstId))) {
        assertThat(child.nextLine(LINE_TIMEOUT)).isEqualTo("open");
        if (kill % 4 != 0) {
          assertThat(child.nextLine(LINE_TIMEOUT)).isEqualTo("before " + firstId);
          assertThat(child.nextLine(LINE_TIMEOUT)).isEqualTo("after " + firstId);
        }
        Thread.sleep(random.nextInt(MAX_DELAY_MILLIS));
        output = child.killAndCollectOutput();
      }
      String where = laneDir.getFileName() + " kill " + kill + " (" + context + "), output tail "
          + output.subList(Math.max(0, output.size() - 3), output.size());

      List<Optional<Checkpoint>> acceptable = acceptableAfter(output, previous);
      Optional<Checkpoint> loaded;
      try (AtomicFileStateStore store = AtomicFileStateStore.open(file)) {
        loaded = store.load();
      }
      assertThat(acceptable).as(where).contains(loaded);
      assertThat(otherFilesIn(storeDir)).as(where).isEmpty();

      long lastAfter = lastId(output, "after ");
      if (lastAfter >= 0) {
        afterCompletedSave++;
        saves += lastAfter - firstId + 1;
      }
      if (acceptable.size() == 2 && loaded.equals(acceptable.get(1))) {
        inFlightSaveLanded++;
      }
      previous = loaded;
    }
    return new LaneResult(KILLS_PER_LANE, afterCompletedSave, inFlightSaveLanded, saves);
  }

  /**
   * The saves are sequential: after {@code after N} the file holds N, from {@code before N+1} it
   * holds N or N+1. Before this child completed any save, the predecessor's checkpoint may remain.
   */
  private static List<Optional<Checkpoint>> acceptableAfter(
      List<String> output, Optional<Checkpoint> previous) {
    long lastBefore = lastId(output, "before ");
    long lastAfter = lastId(output, "after ");
    List<Optional<Checkpoint>> acceptable = new ArrayList<>();
    if (lastAfter < 0) {
      acceptable.add(previous);
    } else {
      acceptable.add(Optional.of(TestCheckpoints.numbered(lastAfter)));
    }
    if (lastBefore > lastAfter) {
      acceptable.add(Optional.of(TestCheckpoints.numbered(lastBefore)));
    }
    return acceptable;
  }

  private static long lastId(List<String> output, String prefix) {
    long last = -1;
    for (String line : output) {
      if (line.startsWith(prefix)) {
        last = Long.parseLong(line.substring(prefix.length()));
      }
    }
    return last;
  }

  /** After a reopen, only the checkpoint and its lock file may remain: no temp, no corrupt file. */
  private static List<Path> otherFilesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> !p.getFileName().toString().equals("state.json"))
          .filter(p -> !p.getFileName().toString().equals("state.json.lock"))
          .toList();
    }
  }
}
