package dev.satellite.registry.internal.copy;

import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The root manifests an engine put in place (or read from a destination) most recently, by
 * digest, so that what follows a copy need not read them back: the referrers walk that starts at
 * the image just copied, and the next tag of an image placed earlier in the pass.
 *
 * <p>Content-addressed, so an entry is never stale: the bytes under a digest are the same
 * wherever and whenever they are read. Whether the manifest is still <em>at</em> a destination is
 * not this class's knowledge; callers that need to know still ask ({@code HEAD}). Bounded by the
 * total size of the manifests it keeps ({@link #MAX_BYTES}); the least recently used go first,
 * and a manifest larger than {@link #MAX_ENTRY_BYTES} is not kept. Thread-safe.
 */
final class RecentManifests {
  /** Kept manifests never sum to more than this. */
  static final int MAX_BYTES = 256 * 1024;
  /** A manifest larger than this (a wide index) is read again when needed. */
  static final int MAX_ENTRY_BYTES = 32 * 1024;

  private final Map<Digest, Manifest> byDigest = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /** Remembers {@code manifest} under its digest, evicting the least recently used over the cap. */
  synchronized void add(Manifest manifest) {
    long size = manifest.size();
    if (size > MAX_ENTRY_BYTES || byDigest.containsKey(manifest.digest())) {
      return;
    }
    byDigest.put(manifest.digest(), manifest);
    bytes += size;
    Iterator<Manifest> eldest = byDigest.values().iterator();
    while (bytes > MAX_BYTES) {
      bytes -= eldest.next().size();
      eldest.remove();
    }
  }

  /** The manifest whose bytes hash to {@code digest}, when it is one of those kept. */
  synchronized Optional<Manifest> get(Digest digest) {
    return Optional.ofNullable(byDigest.get(digest));
  }
}
