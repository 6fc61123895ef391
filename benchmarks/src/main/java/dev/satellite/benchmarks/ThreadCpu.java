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
 * less those, since threads that ended are gone from {@code /proc}), with the part of the
 * application's spent in the kernel (system calls) from {@code /proc/self/stat}. The difference
 * of two snapshots is where the CPU of what ran in between went.
 */
final class ThreadCpu {
  private static final long MILLIS_PER_TICK = 10;
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final String PROCESS = "process";
  private static final String PROCESS_KERNEL = "processKernel";
  private static final String JVM_KERNEL = "jvmKernel";

  private ThreadCpu() {}

  /**
   * Milliseconds by kind ({@code compiler}, {@code gc}, {@code vm}, {@code jfr}), of the whole
   * {@code process}, and in the kernel: {@code processKernel} (every thread, ended ones too) and
   * {@code jvmKernel} (the kinds' threads).
   */
  static Map<String, Long> snapshot() {
    Map<String, Long> byKind = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(TASKS)) {
      tasks.forEach(task -> add(byKind, task));
    } catch (IOException e) {
      throw new UncheckedIOException("list " + TASKS, e);
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    byKind.put(PROCESS, os.getProcessCpuTime() / 1_000_000);
    byKind.put(PROCESS_KERNEL, times(read(Path.of("/proc/self/stat")))[1] * MILLIS_PER_TICK);
    return byKind;
  }

  /**
   * {@code after - before}: the process, each kind of JVM thread, {@code application} (the
   * process less those) and {@code applicationKernel} (its part in system calls).
   */
  static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> spent = new LinkedHashMap<>();
    after.forEach((k, v) -> spent.put(k, v - before.getOrDefault(k, 0L)));
    long process = spent.getOrDefault(PROCESS, 0L);
    long kernel = spent.getOrDefault(PROCESS_KERNEL, 0L) - spent.getOrDefault(JVM_KERNEL, 0L);
    spent.remove(PROCESS_KERNEL);
    spent.remove(JVM_KERNEL);
    long jvm = spent.entrySet().stream().filter(e -> !e.getKey().equals(PROCESS))
        .mapToLong(Map.Entry::getValue).sum();
    spent.put("application", process - jvm);
    spent.put("applicationKernel", kernel);
    return spent;
  }

  private static void add(Map<String, Long> byKind, Path task) {
    String stat = read(task.resolve("stat"));
    if (stat.isEmpty()) {
      return; // the thread ended meanwhile
    }
    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    long[] times = times(stat);
    kind(name).ifPresent(k -> {
      byKind.merge(k, (times[0] + times[1]) * MILLIS_PER_TICK, Long::sum);
      byKind.merge(JVM_KERNEL, times[1] * MILLIS_PER_TICK, Long::sum);
    });
  }

  /** User and system clock ticks of a {@code stat} line: "pid (comm) state ppid ...". */
  private static long[] times(String stat) {
    // comm may hold blanks and parentheses; fields 14 and 15 (utime, stime) are the 12th and
    // 13th after the closing one
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
  }

  /** The file's text; empty when it is gone (a thread that ended). */
  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException gone) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file, e);
    }
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
