package dev.satellite.registry.internal.blob;

import dev.satellite.registry.Digest;

/**
 * A stream that checks, when its end is read, that the bytes it delivered hash to a digest, and
 * throws {@link dev.satellite.registry.DigestMismatchException} otherwise. An upload that forwards
 * every byte of such a stream unchanged and reads its end before sending its last byte needs no
 * hash of its own: each blob of a copy is hashed once.
 */
public interface SelfVerifyingStream {

  /** Whether the end of this stream checks {@code digest}. */
  boolean verifies(Digest digest);
}
