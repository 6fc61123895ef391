package dev.satellite.cli;

import dev.satellite.agent.runtime.FileChange;
import dev.satellite.agent.runtime.FileFailure;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.agent.runtime.RuntimeMirrors;
import dev.satellite.cli.support.Commands;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Points the node's container runtimes at the edge registry in one pass ({@link RuntimeMirrors}),
 * prints what changed and the command that makes each running runtime use it (never run here),
 * then exits 0 when every file holds the mirror configuration, 1 when a file could not be changed,
 * 2 for bad usage.
 *
 * <pre>{@code
 * satellite configure-runtimes --destination http://127.0.0.1:5000 \
 *     --mirrors containerd:docker.io,quay.io --mirrors docker:docker.io --dry-run
 * }</pre>
 */
@Command(usageHelpWidth = 100, abbreviateSynopsis = true,
    name = "configure-runtimes", sortOptions = false,
    description = "Points container runtimes at the edge registry as a pull-through mirror.",
    footer = {"", "runtimes: containerd, crio, podman, docker (docker.io only), k3s, rke2; auto =",
        "those found under the runtime root (auto alone: docker.io). Reload commands are printed,",
        "not run, unless --reload-runtimes."})
public final class ConfigureRuntimesCommand {
  @Option(names = "--destination", required = true, paramLabel = "<edge url>",
      description = "the edge registry the runtimes pull from (http:// = plain HTTP)")
  String destination;

  @Option(names = "--mirrors", required = true, paramLabel = "<runtime>:<registry>[,<registry>...]",
      description = {"registries a runtime pulls through the edge, or auto[:<registries>];",
          "repeat for more runtimes"})
  List<String> mirrors;

  @Option(names = "--runtime-root", paramLabel = "<dir>",
      description = "directory every path is taken under (default /)")
  Path runtimeRoot = Path.of("/");

  @Option(names = "--dry-run", description = "print each change as a unified diff, write nothing")
  boolean dryRun;

  @Option(names = "--reload-runtimes", description = {"run the reload command of each runtime"
      + " whose files changed; one that", "fails puts that runtime's files back and reloads again"})
  boolean reloadRuntimes;

  @Option(names = "--help", usageHelp = true, description = "print this help")
  boolean help;

  private ConfigureRuntimesCommand() {}

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    ConfigureRuntimesCommand command = new ConfigureRuntimesCommand();
    OptionalInt exit = Commands.parse(SatelliteCommand.line(command), args, out, err);
    return exit.isPresent() ? exit.getAsInt() : command.configure(out, err);
  }

  private int configure(PrintStream out, PrintStream err) {
    RuntimeMirrors runtimeMirrors;
    try {
      RuntimeMirrors.Builder builder =
          RuntimeMirrors.builder().edge(destination).runtimeRoot(runtimeRoot).dryRun(dryRun)
              .reloadRuntimes(reloadRuntimes);
      mirrors.forEach(builder::mirrors);
      runtimeMirrors = builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println(Commands.usageError(SatelliteCommand.line(this), e.getMessage()));
      return Commands.USAGE;
    }
    MirrorReport report = runtimeMirrors.apply();
    for (FileChange change : report.changes()) {
      if (dryRun) {
        out.print(change.unifiedDiff());
      } else {
        out.println((change.created() ? "created " : "changed ") + change.path()
            + (change.created() ? "" : " (previous version: " + change.path().getFileName()
                + ".satellite.bak)"));
      }
    }
    report.unchanged().forEach(path -> out.println("unchanged " + path));
    report.notes().forEach(note -> err.println("note: " + note));
    report.failures().stream().map(FileFailure::reason)
        .forEach(reason -> err.println("failed: " + reason));
    if (dryRun) {
      out.println("dry run: " + report.changes().size() + " file(s) would change, nothing written");
    } else if (!reloadRuntimes) {
      report.reloadCommands().forEach(command -> out.println("to apply, run: " + command));
    }
    report.reloads().forEach(reload -> reload.failure().ifPresentOrElse(
        failure -> err.println("failed: " + failure),
        () -> out.println("reloaded " + reload.runtime() + ": " + String.join(" ",
            reload.command()))));
    return report.ok() ? 0 : 1;
  }
}
