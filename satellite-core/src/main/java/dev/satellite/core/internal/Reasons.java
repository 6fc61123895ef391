package dev.satellite.core.internal;

import dev.satellite.core.SatelliteException;
import java.util.regex.Pattern;

/** Turns exceptions into the one-line reasons reports carry. */
final class Reasons {
  private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\R\\s*");

  private Reasons() {}

  /**
   * The message of a {@link SatelliteException} (it already says what was being done and where);
   * for any other exception its class and message, so a bug is recognizable as one. On one line:
   * a message over several lines (a TLS failure listing a certificate's names, say) has each line
   * break, with the spaces around it, turned into one space.
   */
  static String describe(RuntimeException e) {
    String reason;
    if (e instanceof SatelliteException && e.getMessage() != null) {
      reason = e.getMessage();
    } else {
      reason = e.getMessage() == null ? e.getClass().getName() : e.toString();
    }
    return LINE_BREAK.matcher(reason.strip()).replaceAll(" ");
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
