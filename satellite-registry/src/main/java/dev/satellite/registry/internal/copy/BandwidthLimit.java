package dev.satellite.registry.internal.copy;

import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A token bucket over blob bytes read from upstream registries, shared by every copy that reads
 * through it: together they read at most {@code bytesPerSecond} on average, with bursts of at most
 * {@link #burst()} bytes (a tenth of a second's worth, between 16 KiB and 1 MiB).
 *
 * <p>A reader takes the bytes it just read from the bucket ({@link #take}); the bucket may go into
 * debt, and the reader then sleeps until the debt is paid off at the configured rate. Since each
 * read is at most {@link #burst()} bytes and every reader pays for what it read before reading
 * again, the readers together stay within the rate however many there are, and each waits in turn:
 * a reader arriving while the bucket is in debt adds to it and so waits longer. The TCP window
 * then slows the sender to the same rate. No thread of its own, no allocation per read.
 *
 * <p>The rate may be changed at any time ({@link #bytesPerSecond(long)}), or lifted ({@link
 * #unlimited}): reads under way follow from their next read. Unlimited, a read costs one volatile
 * read more than an unwrapped stream.
 */
public final class BandwidthLimit {
  static final long MIN_BURST = 16 * 1024;
  static final long MAX_BURST = 1024 * 1024;

  /** The time source and the sleep; a seam for tests. */
  interface Timer {
    long nanoTime();

    void sleepNanos(long nanos) throws InterruptedException;
  }

  private static final Timer SYSTEM =
      new Timer() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
          Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
      };

  private final Timer timer;
  private volatile long bytesPerSecond;
  private volatile long burst = Long.MAX_VALUE;
  private double tokens;
  private long refilledAt;

  /** @throws IllegalArgumentException when {@code bytesPerSecond} is below 1 */
  public BandwidthLimit(long bytesPerSecond) {
    this(bytesPerSecond, SYSTEM);
  }

  BandwidthLimit(long bytesPerSecond, Timer timer) {
    this.timer = timer;
    bytesPerSecond(bytesPerSecond);
  }

  /** No limit until {@link #bytesPerSecond(long)} sets one. */
  public static BandwidthLimit unlimited() {
    return new BandwidthLimit(SYSTEM);
  }

  private BandwidthLimit(Timer timer) {
    this.timer = timer;
  }

  /** The limit, or 0 when there is none. */
  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /**
   * Sets the limit; the bucket starts full.
   *
   * @throws IllegalArgumentException when below 1
   */
  public synchronized void bytesPerSecond(long rate) {
    if (rate < 1) {
      throw new IllegalArgumentException("a bandwidth limit must be at least 1 byte/s: " + rate);
    }
    burst = Math.max(MIN_BURST, Math.min(MAX_BURST, rate / 10));
    tokens = burst;
    refilledAt = timer.nanoTime();
    bytesPerSecond = rate;
  }

  /** Lifts the limit. */
  public synchronized void unlimit() {
    bytesPerSecond = 0;
    burst = Long.MAX_VALUE;
  }

  /**
   * The most bytes one read may take at once, and the most the bucket holds ({@link
   * Long#MAX_VALUE} without a limit).
   */
  public long burst() {
    return burst;
  }

  /** {@code in}, its reads limited to {@link #burst()} bytes each and paid for here. */
  public InputStream throttle(InputStream in) {
    return new ThrottledInputStream(in, this);
  }

  /**
   * Takes {@code bytes} just read from the bucket, sleeping while it is in debt.
   *
   * @throws InterruptedIOException when the thread is interrupted while it waits (its flag set)
   */
  void take(long bytes) throws InterruptedIOException {
    if (bytesPerSecond == 0) {
      return;
    }
    long waitNanos;
    synchronized (this) {
      long rate = bytesPerSecond;
      if (rate == 0) {
        return;
      }
      long now = timer.nanoTime();
      tokens = Math.min(burst, tokens + (now - refilledAt) * (rate / 1e9));
      refilledAt = now;
      tokens -= bytes;
      waitNanos = tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / rate);
    }
    if (waitNanos > 0) {
      try {
        timer.sleepNanos(waitNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException io =
            new InterruptedIOException("interrupted while holding to the bandwidth limit");
        io.initCause(e);
        throw io;
      }
    }
  }

  @Override
  public String toString() {
    return bytesPerSecond == 0 ? "unlimited" : bytesPerSecond + " bytes/s";
  }
}
