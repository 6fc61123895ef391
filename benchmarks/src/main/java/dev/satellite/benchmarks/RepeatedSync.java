package dev.satellite.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.satellite.core.SyncReport;
import dev.satellite.cli.SyncCommand;
import dev.satellite.cli.support.ProgressLog;
import dev.satellite.cli.support.SatelliteSetup;
import dev.satellite.cli.support.SyncOptions;
import dev.satellite.cli.support.UsageException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Runs {@code Satellite.syncOnce()} several times in one JVM with the options of {@code SyncCommand},
 * to tell the cost of a pass from the cost of a JVM's first pass (class loading, JIT). The first
 * argument is the number of passes; the others are {@code SyncCommand} options. Prints one line:
 * {@code {"passMillis":[first, second, ...],"passCpuMillis":[...]}}, the second list being the
 * CPU time of the whole process (every thread: the JIT compilers and the collector too) while each
 * pass ran, and {@code "recordedCpuMillis":{...}}, the CPU time from pass 2 to the last (the only
 * pass when there is one) by kind of thread ({@link ThreadCpu}). Exits 1 when a pass is not ok, 2
 * for bad usage.
 *
 * <p>With {@code --jfr FILE} (after the number of passes and {@code --fresh-edges}), a flight
 * recording with the JDK's {@code profile} settings covers pass 2 to the last (the only pass when
 * there is one) and is written to {@code FILE}: the passes of a JVM that has already run one,
 * without its start-up.
 *
 * <p>By default every pass goes to the same destination with the same checkpoint (repeated warm
 * passes). With {@code --fresh-edges URL,URL,...} right after the number of passes, pass 2 goes to
 * the first of those registries, pass 3 to the second, and so on, each with a new checkpoint next
 * to the given one ({@code <checkpoint>.pass2}, ...): a cold sync in a JVM that has already run
 * one, as in an agent that stays up and is given new images.
 *
 * <pre>{@code
 * RepeatedSync 5 --state http://127.0.0.1:5101/satellite/satellite-state/edge-1/state:latest \
 *     --destination http://127.0.0.1:5102 --checkpoint edge-1.json
 * RepeatedSync 3 --fresh-edges http://127.0.0.1:5103,http://127.0.0.1:5104 --state ... \
 *     --destination http://127.0.0.1:5102 --checkpoint edge-1.json
 * }</pre>
 */
public final class RepeatedSync {
  private static final String FRESH_EDGES = "--fresh-edges";
  private static final String JFR = "--jfr";

  private RepeatedSync() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  private static int run(String[] args) {
    int passes;
    try {
      passes = Integer.parseInt(args.length == 0 ? "" : args[0]);
    } catch (NumberFormatException e) {
      System.err.println("RepeatedSync: the first argument must be the number of passes");
      return 2;
    }
    int first = 1;
    List<String> freshEdges = List.of();
    if (args.length > 2 && args[1].equals(FRESH_EDGES)) {
      freshEdges = List.of(args[2].split(","));
      first = 3;
      if (!Arrays.asList(args).contains("--checkpoint")) {
        System.err.println("RepeatedSync: " + FRESH_EDGES + " needs --checkpoint (each pass gets"
            + " its own, named after it)");
        return 2;
      }
      if (freshEdges.size() != passes - 1) {
        System.err.printf("RepeatedSync: %d passes need %d fresh edges, not %d%n",
            passes, passes - 1, freshEdges.size());
        return 2;
      }
    }
    Optional<Path> jfr = Optional.empty();
    if (args.length > first + 1 && args[first].equals(JFR)) {
      jfr = Optional.of(Path.of(args[first + 1]));
      first += 2;
    }
    String[] syncArgs = Arrays.copyOfRange(args, first, args.length);
    Optional<SyncOptions> options = parse(syncArgs);
    if (options.isEmpty()) {
      return 2;
    }
    List<Long> millis = new ArrayList<>();
    List<Long> cpuMillis = new ArrayList<>();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    SatelliteSetup satellite = null;
    Recording recording = null;
    Map<String, Long> threadsBefore = Map.of();
    Map<String, Long> threadsAfter = Map.of();
    try {
      for (int i = 0; i < passes; i++) {
        if (i == Math.min(1, passes - 1)) {
          threadsBefore = ThreadCpu.snapshot();
          if (jfr.isPresent()) {
            recording = startRecording(jfr.get());
          }
        }
        if (satellite == null || !freshEdges.isEmpty()) {
          if (satellite != null) {
            satellite.close();
            options = parse(toFreshEdge(syncArgs, freshEdges.get(i - 1), ".pass" + (i + 1)));
          }
          satellite = new SatelliteSetup(options.orElseThrow(), new ProgressLog(true));
        }
        long cpuBefore = os.getProcessCpuTime();
        SyncReport report = satellite.satellite().syncOnce();
        cpuMillis.add((os.getProcessCpuTime() - cpuBefore) / 1_000_000);
        if (!report.ok()) {
          System.err.println("RepeatedSync: pass " + (i + 1) + " not ok: " + report.toJson());
          return 1;
        }
        millis.add(report.duration().toMillis());
      }
      threadsAfter = ThreadCpu.snapshot();
    } catch (UsageException e) {
      System.err.println("RepeatedSync: " + e.getMessage());
      return 2;
    } catch (IOException | ParseException e) {
      System.err.println("RepeatedSync: cannot record to " + jfr.orElseThrow() + ": " + e);
      return 2;
    } finally {
      if (recording != null) {
        recording.stop(); // writes the destination file
        recording.close();
      }
      if (satellite != null) {
        satellite.close();
      }
    }
    System.out.println("{\"passMillis\":" + millis + ",\"passCpuMillis\":" + cpuMillis
        + ",\"recordedCpuMillis\":" + json(ThreadCpu.between(threadsBefore, threadsAfter)) + "}");
    return 0;
  }

  private static String json(Map<String, Long> values) {
    StringBuilder out = new StringBuilder("{");
    values.forEach((k, v) -> out.append(out.length() > 1 ? "," : "")
        .append('"').append(k).append("\":").append(v));
    return out.append('}').toString();
  }

  /** A recording with the JDK's {@code profile} settings, written to {@code file} when stopped. */
  private static Recording startRecording(Path file) throws IOException, ParseException {
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.setDestination(file);
    recording.start();
    return recording;
  }

  private static Optional<SyncOptions> parse(String[] syncArgs) {
    return SyncCommand.parse(syncArgs, System.getenv(), System.out, System.err).options();
  }

  /** {@code syncArgs} with the destination replaced and the checkpoint path suffixed. */
  static String[] toFreshEdge(String[] syncArgs, String destination, String checkpointSuffix) {
    String[] changed = syncArgs.clone();
    for (int i = 0; i + 1 < changed.length; i++) {
      if (changed[i].equals("--destination")) {
        changed[i + 1] = destination;
      } else if (changed[i].equals("--checkpoint")) {
        changed[i + 1] = changed[i + 1] + checkpointSuffix;
      }
    }
    return changed;
  }
}
