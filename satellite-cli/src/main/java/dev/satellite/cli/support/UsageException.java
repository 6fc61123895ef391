package dev.satellite.cli.support;

/**
 * The command line or the configuration it names is wrong. The message is one line that says what
 * and where; the command prints it and exits with status 2.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
