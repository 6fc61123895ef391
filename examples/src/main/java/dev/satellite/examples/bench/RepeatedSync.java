package dev.satellite.examples.bench;

import dev.satellite.core.SyncReport;
import dev.satellite.examples.cli.CommandLine;
import dev.satellite.examples.cli.ProgressLog;
import dev.satellite.examples.cli.SatelliteSetup;
import dev.satellite.examples.cli.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@code Reconciler.sync()} several times in one JVM with the options of {@code SyncOnce},
 * to tell the cost of a pass from the cost of a JVM's first pass (class loading, JIT). The first
 * argument is the number of passes; the others are {@code SyncOnce} options. Prints one line:
 * {@code {"passMillis":[first, second, ...]}}. Exits 1 when a pass is not ok, 2 for bad usage.
 *
 * <pre>{@code
 * RepeatedSync 5 --state http://127.0.0.1:5101/satellite/satellite-state/edge-1/state:latest \
 *     --destination http://127.0.0.1:5102 --checkpoint edge-1.json
 * }</pre>
 */
public final class RepeatedSync {
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
    CommandLine.Result parsed =
        CommandLine.parse(
            "RepeatedSync", Arrays.copyOfRange(args, 1, args.length), System.getenv(), false,
            System.out, System.err);
    if (parsed.options().isEmpty()) {
      return parsed.exitCode();
    }
    List<Long> millis = new ArrayList<>();
    try (SatelliteSetup satellite =
        new SatelliteSetup(parsed.options().get(), new ProgressLog())) {
      for (int i = 0; i < passes; i++) {
        SyncReport report = satellite.reconciler().sync();
        if (!report.ok()) {
          System.err.println("RepeatedSync: pass " + (i + 1) + " not ok: " + report.toJson());
          return 1;
        }
        millis.add(report.duration().toMillis());
      }
    } catch (UsageException e) {
      System.err.println("RepeatedSync: " + e.getMessage());
      return 2;
    }
    System.out.println("{\"passMillis\":" + millis + "}");
    return 0;
  }
}
