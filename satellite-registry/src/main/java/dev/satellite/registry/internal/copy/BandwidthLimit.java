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

  private final long bytesPerSecond;
  private final long burst;
  private final Timer timer;
  private double tokens;
  private long refilledAt;

  /** @throws IllegalArgumentException when {@code bytesPerSecond} is below 1 */
  public BandwidthLimit(long bytesPerSecond) {
    this(bytesPerSecond, SYSTEM);
  }

  BandwidthLimit(long bytesPerSecond, Timer timer) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("a bandwidth limit must be at least 1 byte/s: "
          + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.burst = Math.max(MIN_BURST, Math.min(MAX_BURST, bytesPerSecond / 10));
    this.timer = timer;
    this.tokens = burst;
    this.refilledAt = timer.nanoTime();
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** The most bytes one read may take at once, and the most the bucket holds. */
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
    long waitNanos;
    synchronized (this) {
      long now = timer.nanoTime();
      tokens = Math.min(burst, tokens + (now - refilledAt) * (bytesPerSecond / 1e9));
      refilledAt = now;
      tokens -= bytes;
      waitNanos = tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / bytesPerSecond);
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
    return bytesPerSecond + " bytes/s";
  }
}
