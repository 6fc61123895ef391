package dev.satellite.cli.support;

import java.io.PrintStream;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ParameterException;

/**
 * The shared front of the commands, on picocli: parse, answer {@code --help}, or explain a mistake
 * on one line. Exit statuses: 0 after help, 2 for a usage error. A command's messages start with its
 * qualified name ({@code satellite sync: ...}).
 */
public final class Commands {
  /** Exit status of a usage error. */
  public static final int USAGE = 2;
  /**
   * Exit status of {@code satellite agent} when Ground Control refused the registration token
   * (invalid, expired or used already): a new token is needed, restarting with the same one
   * cannot help.
   */
  public static final int REGISTRATION_REFUSED = 3;

  private Commands() {}

  /** {@link #parse(CommandLine, String[], PrintStream, PrintStream)} of a top-level command. */
  public static OptionalInt parse(Object command, String[] args, PrintStream out, PrintStream err) {
    return parse(new CommandLine(command), args, out, err);
  }

  /**
   * Fills the annotated fields of {@code commandLine}'s command from {@code args}. Prints the help
   * to {@code out} for {@code --help}, or {@code <name>: <what is wrong> (see --help)} to
   * {@code err}.
   *
   * @return empty when the command should go on; otherwise the status to exit with
   */
  public static OptionalInt parse(
      CommandLine commandLine, String[] args, PrintStream out, PrintStream err) {
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

  /** {@code <name>: <message>} on one line, for a mistake in a top-level command. */
  public static String usageError(Object command, String message) {
    return usageError(new CommandLine(command), message);
  }

  /** {@code <qualified name>: <message>} on one line, for a mistake found after parsing. */
  public static String usageError(CommandLine commandLine, String message) {
    return commandLine.getCommandSpec().qualifiedName() + ": "
        + message.replaceAll("\\s*\\R\\s*", " ");
  }
}
