package dev.satellite.jdbc;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.LeaderLease;
import dev.satellite.core.StateStore;
import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.testing.PostgresServer;
import dev.satellite.testing.SampleCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The cost of a checkpoint save and load on PostgreSQL ({@link JdbcStateStore}, fenced by a lease,
 * as two agents use it) beside the file store ({@link AtomicFileStateStore}), for checkpoints of
 * several sizes. Prints a table of medians in milliseconds (wall clock); not a test.
 *
 * <ul>
 *   <li><b>full save</b>: every entity differs from what is stored (the first save after a
 *       takeover of another generation writes everything too);
 *   <li><b>one-group save</b>: one entity of one group of 1,000 changed, the common save of a
 *       pass (the database writes that group's rows; the file store writes the whole file);
 *   <li><b>load</b>: a new store reads the checkpoint and checks it.
 * </ul>
 *
 * <p>Both stores make their saves durable (the file store {@code fsync}s, PostgreSQL commits with
 * its default {@code synchronous_commit}). Run from the repository root:
 *
 * <pre>
 * mvn -q -o -pl satellite-jdbc -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/jdbc-cp.txt
 * java -cp "$(cat /tmp/jdbc-cp.txt):satellite-jdbc/target/classes:satellite-jdbc/target/test-classes" \
 *     dev.satellite.jdbc.CheckpointStoreBenchmark [entities ...] (default 1000 100000)
 * </pre>
 */
public final class CheckpointStoreBenchmark {
  private static final int ROUNDS = 5;

  private CheckpointStoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {1_000, 100_000}
        : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    Path dir = Files.createTempDirectory("checkpoint-benchmark-");
    try (PostgresServer server = PostgresServer.start()) {
      System.out.printf("%-10s %9s %12s %15s %10s%n", "store", "entities", "full save",
          "one-group save", "load");
      for (int size : sizes) {
        String url = server.newDatabase();
        StateDatabase database = StateDatabase.postgres(url, server.user(), server.password());
        try (PostgresLeaderLease lease = PostgresLeaderLease.builder(database, "bench").build()) {
          lease.tryAcquire().orElseThrow();
          lease.start(new LeaderLease.Listener() {
            @Override
            public void acquired(long epoch) {}

            @Override
            public void lost(long epoch, String reason) {
              if (!reason.equals("closed")) {
                System.err.println("the benchmark's lease was lost: " + reason);
              }
            }
          });
          System.out.printf("%-10s %9s %12.1f   (connection set-up)%n", "postgresql", "",
              median(connects(database)));
          row("postgresql", size, () -> JdbcStateStore.open(lease));
        }
        Path file = dir.resolve("checkpoint-" + size + ".json");
        row("file", size, () -> AtomicFileStateStore.open(file));
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  private static List<Double> connects(StateDatabase database) {
    List<Double> times = new ArrayList<>();
    for (int round = 0; round < 4 * ROUNDS; round++) {
      times.add(millis(() -> {
        try (var c = database.connect()) {
          c.isValid(1);
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    return times;
  }

  private static void row(String label, int size, Supplier<StateStore> open) {
    Checkpoint a = SampleCheckpoints.large(size, "a");
    Checkpoint b = SampleCheckpoints.large(size, "b");
    List<Double> full = new ArrayList<>();
    List<Double> oneGroup = new ArrayList<>();
    List<Double> loads = new ArrayList<>();
    try (StateStore store = open.get()) {
      store.save(a); // warm-up
      store.save(b);
      for (int round = 0; round < ROUNDS; round++) {
        full.add(millis(() -> store.save(store.load().orElseThrow().equals(a) ? b : a)));
      }
      Checkpoint current = store.load().orElseThrow();
      for (int round = 0; round < ROUNDS; round++) {
        Checkpoint changed = changeOneEntity(current, round);
        oneGroup.add(millis(() -> store.save(changed)));
        current = changed;
      }
    }
    for (int round = 0; round < ROUNDS; round++) {
      try (StateStore reader = open.get()) {
        loads.add(millis(reader::load));
      }
    }
    System.out.printf("%-10s %,9d %12.1f %15.1f %10.1f%n", label, size, median(full),
        median(oneGroup), median(loads));
  }

  /** {@code checkpoint} with the first entity of its first group pointing at another digest. */
  private static Checkpoint changeOneEntity(Checkpoint checkpoint, int round) {
    Map.Entry<String, List<Entity>> first = checkpoint.groups().entrySet().iterator().next();
    List<Entity> entities = new ArrayList<>(first.getValue());
    Entity e = entities.get(0);
    entities.set(0, new Entity(e.repository(), e.tag(), SampleCheckpoints.sha256("r" + round)));
    return checkpoint.withGroup(first.getKey(), entities);
  }

  private static double millis(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return (System.nanoTime() - start) / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
