package dev.satellite.core;

/**
 * Counts the bytes a satellite reads from its upstream registries (blobs, manifests, state
 * artifacts), for the figures of {@link SyncReport#upstreamBytes()} and {@link
 * SyncReport#upstreamBytesTotal()}. The registry module's {@code UpstreamByteCounter} counts them
 * on the wire. Implementations are thread-safe.
 */
public interface UpstreamMeter {

  /** Bytes read so far, counted from any starting point; never decreases. */
  long bytesRead();

  /**
   * Called once at the end of each pass with the bytes it read. Returns the running total to
   * report, e.g. one kept on disk since the satellite's state directory was created. The default
   * keeps no total and returns {@code passBytes}.
   */
  default long passEnded(long passBytes) {
    return passBytes;
  }
}
