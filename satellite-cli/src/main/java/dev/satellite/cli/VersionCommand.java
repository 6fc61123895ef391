package dev.satellite.cli;

import dev.satellite.cli.support.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.OptionalInt;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the version of satellite-java and of the Java runtime it runs on. */
@Command(name = "version", usageHelpWidth = 100,
    description = "Prints the version of satellite and of the Java runtime.")
public final class VersionCommand {
  @Option(names = "--help", usageHelp = true, description = "print this help")
  boolean help;

  private VersionCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    OptionalInt exit = Commands.parse(SatelliteCommand.line(new VersionCommand()), args, out, err);
    if (exit.isPresent()) {
      return exit.getAsInt();
    }
    out.println("satellite " + version());
    out.println("java " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")");
    return 0;
  }

  /** The version this build was made as, from the {@code version.properties} Maven filled in. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the satellite jar");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("read version.properties", e);
    }
    return properties.getProperty("version");
  }
}
