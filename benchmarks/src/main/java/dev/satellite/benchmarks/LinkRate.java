package dev.satellite.benchmarks;

import java.util.concurrent.TimeUnit;

/**
 * The rate of one direction of an emulated link, shared by every connection over it. Bytes go on
 * the link in turn: each chunk takes {@code bytes / rate} of the link's time after the chunks
 * before it (its serialisation delay), and the reader that brought it waits until the link has
 * caught up to within a tenth of a second. So after a quiet spell a tenth of a second's worth
 * passes at once (the burst a token bucket of that size allows), then the link's rate holds,
 * however many connections share it.
 */
final class LinkRate {
  private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final double nanosPerByte;
  private long busyUntil;

  /** @throws IllegalArgumentException when {@code bytesPerSecond} is below 1 */
  LinkRate(long bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("a link rate must be at least 1 byte/s: " + bytesPerSecond);
    }
    this.nanosPerByte = 1e9 / bytesPerSecond;
    this.busyUntil = System.nanoTime() - BURST_NANOS;
  }

  /** Puts {@code bytes} just read on the link, waiting while it is more than a burst behind. */
  void carry(int bytes) throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      busyUntil = Math.max(busyUntil, now - BURST_NANOS) + (long) Math.ceil(bytes * nanosPerByte);
      wait = busyUntil - BURST_NANOS - now;
    }
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  @Override
  public String toString() {
    return Math.round(1e9 / nanosPerByte) + " bytes/s";
  }
}
