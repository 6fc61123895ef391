package dev.satellite.core;

/** Told how many blob bytes were just copied; for progress bars and metrics. */
@FunctionalInterface
public interface ReplicationProgress {
  ReplicationProgress NONE = bytes -> {};

  void bytesCopied(long bytes);
}
