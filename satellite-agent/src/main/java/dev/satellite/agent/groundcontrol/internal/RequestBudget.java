package dev.satellite.agent.groundcontrol.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Keeps one client under Ground Control's rate limit: Ground Control counts the requests each
 * client address sends to {@code /satellites/ztr}, {@code /satellites/sync} and {@code /login}
 * together, over a sliding minute, and answers {@code 429} to the eleventh (it records only the
 * requests it let through, and sends no {@code Retry-After}).
 *
 * <p>{@link #acquire} waits until sending one more request keeps the last {@value #PERMITS} sends
 * spread over more than {@link #WINDOW} (a minute and two seconds: the extra seconds absorb the
 * difference between when a request leaves here and when Ground Control stamps it). After a
 * {@code 429}, {@link #pauseFor} holds every request back until Ground Control's own window has
 * moved on. Thread-safe; one budget per Ground Control client.
 */
public final class RequestBudget {
  /** Requests Ground Control lets through per client address and minute. */
  public static final int PERMITS = 10;
  /** The window the permits are spread over, with a margin over Ground Control's minute. */
  public static final Duration WINDOW = Duration.ofSeconds(62);

  /** Waits; tests substitute one that advances a fake clock. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final int permits;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private final Deque<Long> sent = new ArrayDeque<>();
  private long pausedUntil = Long.MIN_VALUE;

  /** Ground Control's budget, on the system's monotonic clock. */
  public RequestBudget() {
    this(PERMITS, WINDOW, System::nanoTime, duration -> Thread.sleep(duration.toMillis(),
        (int) (duration.toNanos() % 1_000_000)));
  }

  public RequestBudget(int permits, Duration window, LongSupplier nanoTime, Sleeper sleeper) {
    if (permits < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a request budget needs at least one permit and a"
          + " positive window, got " + permits + " per " + window);
    }
    this.permits = permits;
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /**
   * Waits until one more request fits, then counts it as sent.
   *
   * @throws InterruptedException when interrupted while waiting (nothing is counted)
   */
  public void acquire() throws InterruptedException {
    while (true) {
      long wait;
      synchronized (this) {
        wait = waitNanos(nanoTime.getAsLong());
        if (wait <= 0) {
          sent.addLast(nanoTime.getAsLong());
          return;
        }
      }
      sleeper.sleep(Duration.ofNanos(wait));
    }
  }

  /** How long {@link #acquire} would wait now; zero when a request fits at once. */
  public synchronized Duration waitNow() {
    return Duration.ofNanos(Math.max(0, waitNanos(nanoTime.getAsLong())));
  }

  /** Holds every request back for {@code duration} from now (after a {@code 429}). */
  public synchronized void pauseFor(Duration duration) {
    pausedUntil = Math.max(pausedUntil, nanoTime.getAsLong() + duration.toNanos());
  }

  private long waitNanos(long now) {
    while (!sent.isEmpty() && now - sent.peekFirst() >= windowNanos) {
      sent.removeFirst();
    }
    long wait = pausedUntil == Long.MIN_VALUE ? 0 : pausedUntil - now;
    if (sent.size() >= permits) {
      wait = Math.max(wait, sent.peekFirst() + windowNanos - now);
    }
    return wait;
  }
}
