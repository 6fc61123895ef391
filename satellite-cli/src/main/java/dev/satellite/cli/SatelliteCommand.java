package dev.satellite.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code satellite} command: one entry point, a subcommand for each job. The process exits
 * with the subcommand's status; {@code satellite} alone, or an unknown subcommand, is a usage
 * error (status 2).
 *
 * <p>Only the subcommand that runs is turned into a picocli model: the full tree (for
 * {@code --help} and the shell completion script) is built on demand.
 */
@Command(name = "satellite", usageHelpWidth = 100,
    description = "Keeps an edge OCI registry in line with a desired state published upstream.",
    subcommands = {AgentCommand.class, SyncCommand.class, StatusCommand.class,
        ConfigureRuntimesCommand.class, PublishStateCommand.class, VersionCommand.class},
    footer = {"", "Run 'satellite <command> --help' for a command's options."})
public final class SatelliteCommand {
  private SatelliteCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs one {@code satellite} command line and returns its exit status. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(usage());
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "agent":
        return AgentCommand.execute(rest, env, out, err);
      case "sync":
        return SyncCommand.run(rest, env, out, err);
      case "status":
        return StatusCommand.run(rest, out, err);
      case "configure-runtimes":
        return ConfigureRuntimesCommand.run(rest, env, out, err);
      case "publish-state":
        return PublishStateCommand.run(rest, env, out, err);
      case "version":
      case "--version":
      case "-V":
        return VersionCommand.run(rest, out, err);
      case "help":
      case "--help":
      case "-h":
        return rest.length == 1 && !rest[0].startsWith("-")
            ? run(new String[] {rest[0], "--help"}, env, out, err)
            : help(out);
      default:
        err.println("satellite: unknown command '" + args[0] + "' (see satellite --help)");
        return 2;
    }
  }

  /** The whole command tree, for the help and the shell completion script. */
  public static CommandLine commandLine() {
    return new CommandLine(new SatelliteCommand());
  }

  /**
   * {@code command} as a subcommand of {@code satellite}, so that its help and its messages carry
   * the qualified name ({@code satellite sync: ...}).
   */
  static CommandLine line(Object command) {
    CommandLine subcommand = new CommandLine(command);
    CommandSpec.create().name("satellite").addSubcommand(null, subcommand);
    return subcommand;
  }

  private static int help(PrintStream out) {
    out.print(usage());
    return 0;
  }

  private static String usage() {
    return commandLine().getUsageMessage(Ansi.OFF);
  }
}
