package dev.satellite.examples.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/** The shared front of the sync commands: parse, answer {@code --help}, or explain a mistake. */
public final class CommandLine {
  private CommandLine() {}

  /**
   * Parses the command line of a sync command. Prints the help to {@code out} for {@code --help},
   * or one line to {@code err} for a usage error.
   *
   * @return the options, or empty when the command should exit with {@link #exitCode}
   */
  public static Result parse(
      String command, String[] args, Map<String, String> env, boolean agent, PrintStream out,
      PrintStream err) {
    try {
      Arguments arguments =
          Arguments.parse(args, SyncOptions.valueOptions(agent), SyncOptions.switchOptions());
      if (arguments.has("help")) {
        out.println(SyncOptions.help(command, agent));
        return new Result(Optional.empty(), 0);
      }
      return new Result(Optional.of(SyncOptions.parse(arguments, env, agent)), 0);
    } catch (UsageException e) {
      err.println(command + ": " + e.getMessage());
      return new Result(Optional.empty(), 2);
    }
  }

  /** Parsed options, or the exit code to leave with. */
  public record Result(Optional<SyncOptions> options, int exitCode) {}
}
