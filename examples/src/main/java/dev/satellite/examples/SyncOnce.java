package dev.satellite.examples;

import dev.satellite.core.SyncReport;
import dev.satellite.core.SyncReport.Failure;
import dev.satellite.examples.cli.CommandLine;
import dev.satellite.examples.cli.ProgressLog;
import dev.satellite.examples.cli.SatelliteSetup;
import dev.satellite.examples.cli.SyncOptions;
import dev.satellite.examples.cli.UsageException;
import java.io.PrintStream;
import java.util.Map;

/**
 * One {@code Reconciler.sync()}: reads the satellite state, brings the edge registry in line with
 * it, saves the checkpoint, prints the report and exits 0 when every desired image is in place, 1
 * when some failed, 2 for bad usage or configuration.
 *
 * <pre>{@code
 * java -jar satellite-examples.jar \
 *     --state http://127.0.0.1:5101/satellite/satellite-state/edge-1/state:latest \
 *     --destination http://127.0.0.1:5102 --json
 * }</pre>
 */
public final class SyncOnce {
  private SyncOnce() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine.Result parsed = CommandLine.parse("SyncOnce", args, env, false, out, err);
    if (parsed.options().isEmpty()) {
      return parsed.exitCode();
    }
    SyncOptions options = parsed.options().get();
    try (SatelliteSetup satellite = new SatelliteSetup(options, new ProgressLog())) {
      SyncReport report = satellite.reconciler().sync();
      out.println(options.json() ? report.toJson() : ProgressLog.summary(report));
      report.failures().forEach(failure -> err.println(failureLine(failure)));
      report.errors().forEach(e -> err.println("error: " + e));
      report.restartedUploads().forEach(r -> err.println("note: " + r));
      return report.ok() ? 0 : 1;
    } catch (UsageException e) {
      err.println("SyncOnce: " + e.getMessage());
      return 2;
    }
  }

  /**
   * {@code failed REPOSITORY:TAG in group GROUP: REASON}; a part an invalid entry lacks shows as
   * {@code ?}.
   */
  static String failureLine(Failure failure) {
    return "failed " + orUnknown(failure.repository()) + ":" + orUnknown(failure.tag())
        + " in group " + failure.group() + ": " + failure.reason();
  }

  private static String orUnknown(String value) {
    return value == null ? "?" : value;
  }
}
