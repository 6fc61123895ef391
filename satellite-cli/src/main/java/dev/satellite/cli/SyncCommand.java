package dev.satellite.cli;

import dev.satellite.core.SyncReport;
import dev.satellite.core.SyncReport.Failure;
import dev.satellite.cli.support.Commands;
import dev.satellite.cli.support.ParsedSync;
import dev.satellite.cli.support.ProgressLog;
import dev.satellite.cli.support.SatelliteSetup;
import dev.satellite.cli.support.SyncFlags;
import dev.satellite.cli.support.SyncOptions;
import dev.satellite.cli.support.UsageException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * One pass of a {@code Satellite}: reads the satellite state, brings the edge registry in line
 * with it, saves the checkpoint, prints the report and exits 0 when every desired image is in
 * place, 1 when some failed, 2 for bad usage or configuration.
 *
 * <pre>{@code
 * satellite sync \
 *     --state http://127.0.0.1:5101/satellite/satellite-state/edge-1/state:latest \
 *     --destination http://127.0.0.1:5102 --json
 * }</pre>
 */
@Command(usageHelpWidth = 100, abbreviateSynopsis = true,
    name = "sync", sortOptions = false,
    description = "Brings the edge registry in line with the satellite state, once.",
    footer = {"", "exit status: 0 every desired image in place, or deferred by a sync window or",
        "             the byte budget (listed); 1 some failed (report printed);",
        "             2 bad usage or configuration"})
public final class SyncCommand {
  @Mixin SyncFlags flags;

  private SyncCommand() {}

  /**
   * Parses a {@code SyncCommand} command line (also for commands that take the same options).
   * Prints the help or a one-line usage error prefixed with {@code satellite sync: }.
   */
  public static ParsedSync parse(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    SyncCommand command = new SyncCommand();
    CommandLine line = SatelliteCommand.line(command);
    OptionalInt exit = Commands.parse(line, args, out, err);
    if (exit.isPresent()) {
      return ParsedSync.exit(exit.getAsInt());
    }
    try {
      return ParsedSync.of(command.flags.options(env, Optional.empty()));
    } catch (UsageException e) {
      err.println(Commands.usageError(line, e.getMessage()));
      return ParsedSync.exit(Commands.USAGE);
    }
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    ParsedSync parsed = parse(args, env, out, err);
    if (parsed.options().isEmpty()) {
      return parsed.exitCode();
    }
    SyncOptions options = parsed.options().get();
    try (SatelliteSetup setup = new SatelliteSetup(options, new ProgressLog(false))) {
      SyncReport report = setup.satellite().syncOnce();
      out.println(options.json() ? report.toJson() : ProgressLog.summary(report));
      report.failures().forEach(failure -> err.println(failureLine(failure)));
      report.deferred().forEach(d -> err.println("deferred " + d.entity().repository() + ":"
          + d.entity().tag() + " in group " + d.group() + ": " + d.reason()));
      report.errors().forEach(e -> err.println("error: " + e));
      report.restartedUploads().forEach(r -> err.println("note: " + r));
      return report.ok() ? 0 : 1;
    } catch (UsageException e) {
      err.println("satellite sync: " + e.getMessage());
      return Commands.USAGE;
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
