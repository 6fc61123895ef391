package dev.satellite.persistence;

import dev.satellite.core.Checkpoint;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Saves and loads a large checkpoint several times and prints a table: milliseconds per save and
 * per load (wall clock, and CPU time of the calling thread, which other load on the machine
 * disturbs less), the file size, and the heap each operation needed beyond what it returns.
 *
 * <p>Run from the repository root (prints the classpath first, then runs):
 *
 * <pre>
 * mvn -q -o -pl satellite-persistence -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/persistence-cp.txt
 * java -Xmx512m -cp "$(cat /tmp/persistence-cp.txt):satellite-persistence/target/classes:\
 * satellite-persistence/target/test-classes" dev.satellite.persistence.CheckpointBenchmark \
 *     [entities, default 100000] [rounds, default 5]
 * </pre>
 *
 * <p>"peak heap delta" is the highest heap occupancy during the operation (sum of the heap pools'
 * peaks, after a GC before it) minus the occupancy before it; for a load it includes the loaded
 * checkpoint itself, which is also shown as "retained". It is an upper bound: garbage the collector
 * had not yet needed to reclaim counts too. Run with a small {@code -Xmx} to see what suffices.
 */
public final class CheckpointBenchmark {
  private static final int WARMUP_ROUNDS = 3;

  private CheckpointBenchmark() {}

  public static void main(String[] args) throws IOException {
    int entities = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Checkpoint base = TestCheckpoints.large(entities);
    Path dir = Files.createTempDirectory("checkpoint-benchmark");
    Path file = dir.resolve("state.json");
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file)) {
      for (int round = 0; round < WARMUP_ROUNDS; round++) {
        store.save(variant(base, -round - 1));
        store.load();
      }
      System.out.printf("%d entities, %d rounds after %d warm-up rounds, max heap %d MB%n",
          entities, rounds, WARMUP_ROUNDS, Runtime.getRuntime().maxMemory() >> 20);
      System.out.printf("%-6s %-5s %9s %9s %9s %16s %13s%n",
          "round", "op", "ms", "cpu ms", "file MB", "peak heap Δ MB", "retained MB");
      for (int round = 1; round <= rounds; round++) {
        Checkpoint next = variant(base, round);
        Measured<Object> save = measure(() -> {
          store.save(next);
          return null;
        });
        double fileMb = Files.size(file) / 1e6;
        print(round, "save", save, fileMb);
        Measured<Optional<Checkpoint>> load = measure(store::load);
        if (!load.result().equals(Optional.of(next))) {
          throw new IllegalStateException("round " + round + ": loaded checkpoint differs");
        }
        print(round, "load", load, fileMb);
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  /** A distinct checkpoint per round, so that every save really writes. */
  private static Checkpoint variant(Checkpoint base, int round) {
    return base.withConfigDigest(Optional.of(TestCheckpoints.digest("round " + round)));
  }

  private record Measured<T>(
      T result, double millis, double cpuMillis, double peakDeltaMb, double retainedMb) {}

  private static <T> Measured<T> measure(Supplier<T> operation) {
    List<MemoryPoolMXBean> heap =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .toList();
    System.gc();
    long before = used(heap);
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = System.nanoTime();
    long startCpu = threads.getCurrentThreadCpuTime();
    T result = operation.get();
    double cpuMillis = (threads.getCurrentThreadCpuTime() - startCpu) / 1e6;
    double millis = (System.nanoTime() - start) / 1e6;
    long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    System.gc();
    long after = used(heap);
    return new Measured<>(
        result, millis, cpuMillis, (peak - before) / 1e6, (after - before) / 1e6);
  }

  private static long used(List<MemoryPoolMXBean> heap) {
    return heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
  }

  private static void print(int round, String op, Measured<?> measured, double fileMb) {
    System.out.printf("%-6d %-5s %9.1f %9.1f %9.2f %16.1f %13.1f%n", round, op, measured.millis(),
        measured.cpuMillis(), fileMb, measured.peakDeltaMb(), Math.max(0, measured.retainedMb()));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
