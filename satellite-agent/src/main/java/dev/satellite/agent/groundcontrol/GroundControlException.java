package dev.satellite.agent.groundcontrol;

import dev.satellite.core.SatelliteException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Ground Control request that failed: the message says what was asked, of which Ground Control,
 * and its answer (status and error text) or why none came. It never holds the registration token
 * or a password.
 */
public class GroundControlException extends SatelliteException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final boolean passable;
  private final Duration retryAfter;

  /**
   * @param statusCode Ground Control's HTTP status, or -1 when no answer came
   * @param passable whether trying again later may succeed (no answer, 5xx, 408, 429)
   */
  public GroundControlException(String message, int statusCode, boolean passable,
      Throwable cause) {
    this(message, statusCode, passable, null, cause);
  }

  /**
   * @param statusCode Ground Control's HTTP status, or -1 when no answer came
   * @param passable whether trying again later may succeed (no answer, 5xx, 408, 429)
   * @param retryAfter how long Ground Control asked to wait before the next request; may be null
   */
  public GroundControlException(String message, int statusCode, boolean passable,
      Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.passable = passable;
    this.retryAfter = retryAfter;
  }

  /**
   * How long Ground Control asked to wait before the next request: its {@code Retry-After}, or a
   * whole rate-limit window after a {@code 429} that named none. Empty for other failures.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Ground Control's HTTP status; empty when it could not be reached or did not answer. */
  public OptionalInt statusCode() {
    return statusCode < 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
  }

  /**
   * Whether the failure may pass: Ground Control unreachable, timed out, or answering 5xx, 408 or
   * 429. A refused or expired token, an unknown satellite or a rejected body do not pass by
   * themselves.
   */
  public boolean passable() {
    return passable;
  }
}
