package dev.satellite.registry.internal;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The failed attempts one operation may make before it gives up: one registry call, or one blob
 * copied by the copy engine. Every layer that retries draws on it, so the attempts of a blob stay
 * bounded however its failures mix; each kind of failure is still retried by one layer only:
 *
 * <ul>
 *   <li>no response (connection refused or lost, timeout), 5xx except 501, 408, 429 ({@code
 *       Retry-After} honoured), to a request whose body can be sent again: {@link
 *       RetryInterceptor};
 *   <li>a blob body that breaks off mid-stream: the blob stream, which asks for the rest with
 *       {@code Range} ({@code VerifyingBlobStream}); any other body that breaks off: {@link
 *       RegistryCaller#call}, which asks again;
 *   <li>a streamed upload that fails in a way that may pass (its body cannot be sent again): the
 *       copy engine, which transfers the blob again ({@code BlobCopy});
 *   <li>a digest mismatch or any other 4xx: nobody.
 * </ul>
 *
 * <p>A failure that one of them retries counts as a failed attempt ({@link #retryAfterFailure}); a
 * drop after which the blob stream had delivered new bytes does not (a resume is progress). A
 * layer that gives up on a failure it owns ends the attempts ({@link #giveUp}): no outer layer tries
 * it again. The copy engine scopes a blob's attempts to the thread that copies it ({@link #within});
 * requests sent inside the scope draw on them, outside it each call has its own.
 *
 * <p>Thread-safe.
 */
public final class Attempts {
  private static final ThreadLocal<Attempts> CURRENT = new ThreadLocal<>();

  private final int max;
  private int failed;
  private boolean ended;

  /**
   * @param max failed attempts after which the operation gives up, at least 1
   * @throws IllegalArgumentException when {@code max} is below 1
   */
  public Attempts(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, got " + max);
    }
    this.max = max;
  }

  /** The attempts of the operation this thread runs ({@link #within}), if any. */
  public static Optional<Attempts> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** Runs {@code work} with {@code attempts} as this thread's {@link #current()} attempts. */
  public static <T> T within(Attempts attempts, Supplier<T> work) {
    Attempts outer = CURRENT.get();
    CURRENT.set(attempts);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /**
   * Counts a failed attempt; true when another may be made (fewer than {@code max} failed and no
   * layer gave up). A false answer ends the attempts.
   */
  public synchronized boolean retryAfterFailure() {
    if (ended) {
      return false;
    }
    failed++;
    if (failed >= max) {
      ended = true;
    }
    return !ended;
  }

  /** Ends the attempts: a layer gave up on a failure it owns. */
  public synchronized void giveUp() {
    ended = true;
  }

  /** Whether no further attempt may be made. */
  public synchronized boolean ended() {
    return ended;
  }

  /** Failed attempts counted so far. */
  public synchronized int failed() {
    return failed;
  }

  public int max() {
    return max;
  }
}
