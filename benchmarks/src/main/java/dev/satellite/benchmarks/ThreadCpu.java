package dev.satellite.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The CPU time of this JVM by kind of thread, from Linux's {@code /proc/self/task/<tid>/stat}
 * (user + system time of each thread, in clock ticks of 10 ms, the {@code CLK_TCK} of 100 every
 * Linux build uses): the JIT compilers, the collector, the JVM's own threads, Flight Recorder's,
 * and the rest of the process (the application's threads, counted as the process's CPU time
 * less those, since threads that ended are gone from {@code /proc}). The difference of two
 * snapshots is where the CPU of what ran in between went.
 */
final class ThreadCpu {
  private static final long MILLIS_PER_TICK = 10;
  private static final Path TASKS = Path.of("/proc/self/task");

  private ThreadCpu() {}

  /** Milliseconds by kind: {@code process}, {@code compiler}, {@code gc}, {@code vm}, {@code jfr}. */
  static Map<String, Long> snapshot() {
    Map<String, Long> byKind = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(TASKS)) {
      tasks.forEach(task -> add(byKind, task));
    } catch (IOException e) {
      throw new UncheckedIOException("list " + TASKS, e);
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    byKind.put("process", os.getProcessCpuTime() / 1_000_000);
    return byKind;
  }

  /** {@code after - before} by kind, with {@code application}: the process less the others. */
  static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> spent = new LinkedHashMap<>();
    long others = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long ms = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      spent.put(e.getKey(), ms);
      if (!e.getKey().equals("process")) {
        others += ms;
      }
    }
    spent.put("application", spent.getOrDefault("process", 0L) - others);
    return spent;
  }

  private static void add(Map<String, Long> byKind, Path task) {
    String stat;
    try {
      stat = Files.readString(task.resolve("stat"));
    } catch (NoSuchFileException gone) {
      return; // the thread ended meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("read " + task.resolve("stat"), e);
    }
    // "tid (comm) state ppid ...": comm may hold blanks and parentheses; fields 14 and 15
    // (utime, stime) are the 12th and 13th after the closing one
    int close = stat.lastIndexOf(')');
    String name = stat.substring(stat.indexOf('(') + 1, close);
    String[] fields = stat.substring(close + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    kind(name).ifPresent(k -> byKind.merge(k, ticks * MILLIS_PER_TICK, Long::sum));
  }

  /** The kind of a JVM thread by its name; empty for the application's. */
  private static Optional<String> kind(String thread) {
    if (thread.contains("CompilerThre")) {
      return Optional.of("compiler");
    }
    if (thread.startsWith("GC Thread") || thread.startsWith("G1 ")) {
      return Optional.of("gc"); // a serial collector collects in the VM Thread: "vm"
    }
    if (thread.startsWith("JFR ")) {
      return Optional.of("jfr");
    }
    if (thread.startsWith("VM ") || thread.equals("Sweeper thread")
        || thread.equals("Service Thread") || thread.startsWith("Monitor Deflati")) {
      return Optional.of("vm");
    }
    return Optional.empty();
  }
}
