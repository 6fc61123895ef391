package dev.satellite.registry.testing.faults;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link FaultProxy} does to one request instead of relaying it faithfully. Faults on the
 * response body ({@link #dropAfter}, {@link #truncate}, {@link #corruptByteAt}) relay the real
 * response of the registry and damage it on the way; {@link #loseAnswer} relays the request and
 * drops the whole response; the others answer without asking the registry (the request body is
 * read and discarded first).
 */
public sealed interface Fault {

  /** Relays the status line, headers and the first {@code bytes} of the body, then closes. */
  static Fault dropAfter(long bytes) {
    return new DropAfter(bytes);
  }

  /**
   * Relays the headers unchanged ({@code Content-Length} stays the full length) but withholds the
   * last {@code missingBytes} of the body, then closes: a response shorter than announced.
   */
  static Fault truncate(long missingBytes) {
    return new Truncate(missingBytes);
  }

  /** Relays the whole response with the body byte at {@code offset} inverted (same length). */
  static Fault corruptByteAt(long offset) {
    return new CorruptByte(offset);
  }

  /**
   * Relays the request, which the registry carries out, then closes the connection without passing
   * any of the registry's answer on: an answer lost on its way back.
   */
  static Fault loseAnswer() {
    return new LoseAnswer();
  }

  /** Answers {@code status} with a small OCI error body (500, 502, 503, 401, ...). */
  static Fault status(int status) {
    return new Status(status, null);
  }

  /** Answers 429 Too Many Requests with {@code Retry-After: <seconds>}. */
  static Fault tooManyRequests(int retryAfterSeconds) {
    return new Status(429, Integer.toString(retryAfterSeconds));
  }

  /** Answers nothing for {@code duration} (longer than the client's read timeout), then closes. */
  static Fault stall(Duration duration) {
    return new Stall(duration);
  }

  /**
   * Closes this connection unanswered and every other open one, and stops listening (connections
   * are refused) for {@code duration}.
   */
  static Fault refuseConnections(Duration duration) {
    return new Refuse(duration);
  }

  /** Answers 307 Temporary Redirect to {@code location}. */
  static Fault redirect(String location) {
    return new Redirect(location);
  }

  /** Answers 200 with {@code size} bytes of {@code contentType} filler (e.g. an oversized manifest). */
  static Fault oversizedBody(String contentType, long size) {
    return new Oversized(contentType, size);
  }

  /** See {@link #dropAfter}. */
  record DropAfter(long bytes) implements Fault {}

  /** See {@link #truncate}. */
  record Truncate(long missingBytes) implements Fault {}

  /** See {@link #corruptByteAt}. */
  record CorruptByte(long offset) implements Fault {}

  /** See {@link #loseAnswer}. */
  record LoseAnswer() implements Fault {}

  /** See {@link #status} and {@link #tooManyRequests}; {@code retryAfter} may be null. */
  record Status(int status, String retryAfter) implements Fault {}

  /** See {@link #stall}. */
  record Stall(Duration duration) implements Fault {
    public Stall {
      Objects.requireNonNull(duration);
    }
  }

  /** See {@link #refuseConnections}. */
  record Refuse(Duration duration) implements Fault {
    public Refuse {
      Objects.requireNonNull(duration);
    }
  }

  /** See {@link #redirect}. */
  record Redirect(String location) implements Fault {
    public Redirect {
      Objects.requireNonNull(location);
    }
  }

  /** See {@link #oversizedBody}. */
  record Oversized(String contentType, long size) implements Fault {}
}
