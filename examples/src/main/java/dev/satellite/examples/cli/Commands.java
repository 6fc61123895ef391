package dev.satellite.examples.cli;

import java.io.PrintStream;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ParameterException;

/**
 * The shared front of the example commands, on picocli: parse, answer {@code --help}, or explain a
 * mistake on one line. Exit statuses: 0 after help, 2 for a usage error.
 */
public final class Commands {
  /** Exit status of a usage error. */
  public static final int USAGE = 2;

  private Commands() {}

  /**
   * Fills {@code command}'s annotated fields from {@code args}. Prints the help to {@code out} for
   * {@code --help}, or {@code <name>: <what is wrong> (see --help)} to {@code err}.
   *
   * @return empty when the command should go on; otherwise the status to exit with
   */
  public static OptionalInt parse(Object command, String[] args, PrintStream out, PrintStream err) {
    CommandLine commandLine = new CommandLine(command);
    try {
      commandLine.parseArgs(args);
    } catch (ParameterException e) {
      err.println(usageError(commandLine, e.getMessage() + " (see --help)"));
      return OptionalInt.of(USAGE);
    }
    if (commandLine.isUsageHelpRequested()) {
      out.print(commandLine.getUsageMessage(Ansi.OFF));
      return OptionalInt.of(0);
    }
    return OptionalInt.empty();
  }

  /** {@code <name>: <message>} on one line, for a mistake found after parsing. */
  public static String usageError(Object command, String message) {
    String name = new CommandLine(command).getCommandName();
    return usageError(name, message);
  }

  private static String usageError(CommandLine commandLine, String message) {
    return usageError(commandLine.getCommandName(), message);
  }

  private static String usageError(String name, String message) {
    return name + ": " + message.replaceAll("\\s*\\R\\s*", " ");
  }
}
