package dev.satellite.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An application embedding the agent: it registers a shutdown hook of its own, then runs {@code
 * satellite agent}. The hook writes the file named by the environment variable {@code
 * HOST_HOOK_MARKER}, so a test can tell that it ran.
 */
final class HostApplication {
  private HostApplication() {}

  public static void main(String[] args) {
    Path marker = Path.of(System.getenv("HOST_HOOK_MARKER"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Files.writeString(marker, "host shutdown hook ran");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "host-application-hook"));
    String[] agent = new String[args.length + 1];
    agent[0] = "agent";
    System.arraycopy(args, 0, agent, 1, args.length);
    SatelliteCommand.main(agent);
  }
}
