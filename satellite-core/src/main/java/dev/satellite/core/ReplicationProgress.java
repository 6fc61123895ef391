package dev.satellite.core;

/**
 * Told of each run of blob bytes a copy has just moved, as it goes; for progress bars and metrics.
 * The figure is a delta: sums of it give what {@link ReplicationResult#bytesCopied()} and {@link
 * SyncListener#bytesCopied} report as totals.
 */
@FunctionalInterface
public interface ReplicationProgress {
  ReplicationProgress NONE = bytes -> {};

  /** {@code bytes} more blob bytes were just copied. */
  void transferred(long bytes);
}
