package dev.satellite.cli.support;

import java.util.Optional;

/**
 * The outcome of parsing a sync command's line: the checked options, or the status to exit with
 * (0 after {@code --help}, 2 after a usage error already printed).
 */
public record ParsedSync(Optional<SyncOptions> options, int exitCode) {
  public static ParsedSync of(SyncOptions options) {
    return new ParsedSync(Optional.of(options), 0);
  }

  public static ParsedSync exit(int status) {
    return new ParsedSync(Optional.empty(), status);
  }
}
