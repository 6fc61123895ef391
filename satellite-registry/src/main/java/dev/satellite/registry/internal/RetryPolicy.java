package dev.satellite.registry.internal;

import dev.satellite.registry.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When and how long to wait before retrying: exponential backoff from a base delay, doubled per
 * attempt, capped, with jitter (a random point in the upper half of the backoff window). A {@code
 * Retry-After} header (seconds or an HTTP date) replaces the backoff, capped the same way.
 */
public final class RetryPolicy {

  /** Waits; a seam so tests need not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  private final int maxRetries;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Sleeper sleeper;
  private final Clock clock;
  private final DoubleSupplier random;

  public RetryPolicy(
      int maxRetries, Duration baseDelay, Duration maxDelay, Sleeper sleeper, Clock clock) {
    this(
        maxRetries,
        baseDelay,
        maxDelay,
        sleeper,
        clock,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  RetryPolicy(
      int maxRetries,
      Duration baseDelay,
      Duration maxDelay,
      Sleeper sleeper,
      Clock clock,
      DoubleSupplier random) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    this.maxRetries = maxRetries;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
  }

  public int maxRetries() {
    return maxRetries;
  }

  /** 5xx (except 501 Not Implemented), 408 Request Timeout and 429 Too Many Requests. */
  public static boolean isRetryableStatus(int code) {
    return (code >= 500 && code != 501) || code == 408 || code == 429;
  }

  /** The wait before retry number {@code attempt + 1}; {@code retryAfter} may be null. */
  public Duration delay(int attempt, String retryAfter) {
    Duration fromServer = parseRetryAfter(retryAfter);
    if (fromServer != null) {
      return fromServer.compareTo(maxDelay) > 0 ? maxDelay : fromServer;
    }
    long window = baseDelay.toMillis() << Math.min(attempt, 20);
    window = Math.min(window, maxDelay.toMillis());
    long jittered = window / 2 + (long) (random.getAsDouble() * (window - window / 2));
    return Duration.ofMillis(jittered);
  }

  /**
   * Sleeps {@code duration}.
   *
   * @throws RegistryException when interrupted (the interrupt flag is kept)
   */
  public void sleep(Duration duration, String action) {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(action, "interrupted while waiting to retry", e);
    }
  }

  private Duration parseRetryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration until = Duration.between(clock.instant(), at);
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }
}
