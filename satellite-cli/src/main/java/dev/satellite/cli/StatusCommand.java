package dev.satellite.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.agent.SatelliteStatus;
import dev.satellite.cli.support.Commands;
import dev.satellite.core.Entity;
import dev.satellite.core.SatelliteException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints what a satellite's state directory says ({@link SatelliteStatus}), without taking the
 * satellite's lock: it works while the agent runs and after it crashed.
 */
@Command(name = "status", usageHelpWidth = 100, sortOptions = false,
    description = "Prints the last pass, the images at the edge, the registration and the bytes"
        + " read, from the state directory (the agent may be running).",
    footer = {"", "exit status: 0 when every file was read; 1 when one could not be (named on a",
        "'problem:' line); 2 bad usage or no such directory"})
public final class StatusCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--state-dir", paramLabel = "<dir>", defaultValue = "/var/lib/satellite",
      description = "the agent's --state-dir (default ${DEFAULT-VALUE})")
  Path stateDirectory;

  @Option(names = "--json", description = "print the status as one JSON object (see README)")
  boolean json;

  @Option(names = "--help", usageHelp = true, description = "print this help")
  boolean help;

  private StatusCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    StatusCommand command = new StatusCommand();
    OptionalInt exit = Commands.parse(SatelliteCommand.line(command), args, out, err);
    return exit.isPresent() ? exit.getAsInt() : command.print(out, err);
  }

  private int print(PrintStream out, PrintStream err) {
    SatelliteStatus status;
    try {
      status = SatelliteStatus.read(stateDirectory);
    } catch (SatelliteException e) {
      err.println("satellite status: " + e.getMessage());
      return Commands.USAGE;
    }
    if (json) {
      out.println(status.toJson());
    } else {
      printText(status, out);
    }
    status.problems().forEach(problem -> err.println("problem: " + problem));
    return status.problems().isEmpty() ? 0 : 1;
  }

  private static void printText(SatelliteStatus status, PrintStream out) {
    out.println("last pass: " + status.lastPassJson().map(StatusCommand::lastPass)
        .orElse("none yet"));
    status.lastPassJson().ifPresent(report -> details(report, out));
    out.println("config: " + status.configDigest().orElse("none applied"));
    Map<String, List<Entity>> groups = status.imagesByGroup();
    out.println("images at the edge: " + groups.values().stream().mapToInt(List::size).sum()
        + " in " + groups.size() + " group(s)");
    groups.forEach((ref, images) -> out.println("  " + ref + ": " + images.size()));
    out.println("registration: " + status.registration().map(r -> r.satelliteName() + " at "
        + r.registryUrl() + " as " + r.username() + " (password <redacted>)")
        .orElse("none (not in a fleet, or not registered yet)"));
    status.credentials().ifPresent(c -> out.println("credentials: " + c.describe()
        + c.problem().map(problem -> "; last problem: " + problem).orElse("")));
    out.println("upstream bytes: " + status.upstreamBytes().map(t -> t.total() + " since "
        + t.since()).orElse("none counted"));
  }

  /** {@code <time>, ok|failed|incomplete, <n> placed, ... in <ms> ms}. */
  private static String lastPass(String report) {
    JsonNode pass = read(report);
    String outcome = pass.path("interrupted").asBoolean() ? "interrupted"
        : pass.path("complete").asBoolean() ? "complete"
        : pass.path("ok").asBoolean() ? "incomplete (deferred)" : "failed";
    return pass.path("startedAt").asText() + ", " + outcome + ", "
        + pass.path("replicated").asInt() + " placed, " + pass.path("unchanged").asInt()
        + " unchanged, " + pass.path("pruned").asInt() + " pruned, " + pass.path("failed").asInt()
        + " failed, " + pass.path("deferred").size() + " deferred, "
        + pass.path("bytesCopied").asLong() + " bytes copied in "
        + pass.path("durationMillis").asLong() + " ms";
  }

  /** The last pass's failures, deferrals and errors, one per line with its reason. */
  private static void details(String report, PrintStream out) {
    JsonNode pass = read(report);
    for (JsonNode failure : pass.path("failures")) {
      out.println("  failed: " + failure.path("repository").asText() + ":"
          + failure.path("tag").asText() + " (" + failure.path("operation").asText() + "): "
          + failure.path("reason").asText());
    }
    for (JsonNode deferral : pass.path("deferred")) {
      out.println("  deferred: " + deferral.path("repository").asText() + ":"
          + deferral.path("tag").asText() + ": " + deferral.path("reason").asText());
    }
    for (JsonNode error : pass.path("errors")) {
      out.println("  error: " + error.asText());
    }
  }

  private static JsonNode read(String report) {
    try {
      return JSON.readTree(report);
    } catch (IOException e) {
      throw new IllegalStateException("the status holds the report as JSON", e);
    }
  }
}
