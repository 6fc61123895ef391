package dev.satellite.core.internal;

import dev.satellite.core.SatelliteException;

/** Turns exceptions into the one-line reasons reports carry. */
final class Reasons {
  private Reasons() {}

  /**
   * The message of a {@link SatelliteException} (it already says what was being done and where);
   * for any other exception its class and message, so a bug is recognizable as one.
   */
  static String describe(RuntimeException e) {
    if (e instanceof SatelliteException && e.getMessage() != null) {
      return e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getName() : e.toString();
  }

  /**
   * The reason, prefixed with {@code doing} (what was being done, and where) unless the message
   * already says it: implementations' exceptions usually name the action themselves.
   */
  static String describe(String doing, RuntimeException e) {
    String reason = describe(e);
    return reason.contains(doing) ? reason : doing + ": " + reason;
  }
}
