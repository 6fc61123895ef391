package dev.satellite.registry.internal.copy;

import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The root manifests an engine put in place, read, or found at a destination most recently, by
 * digest, so that what follows a copy need not read them back: the referrers walk that starts at
 * the image just copied (or found tagged), and the next tag of an image placed earlier.
 *
 * <p>Content-addressed, so an entry is never stale: the bytes under a digest are the same
 * wherever and whenever they are read. Whether the manifest is still <em>at</em> a destination is
 * not this class's knowledge; callers that need to know still ask ({@code HEAD}). An image
 * manifest only seen in a {@code HEAD} answer is kept without its bytes, as "an image, no child
 * manifests". Bounded by the total size of what it keeps ({@link #MAX_BYTES}, a bodiless entry
 * counting {@link #ENTRY_BYTES}); the least recently used go first, and a manifest larger than
 * {@link #MAX_ENTRY_BYTES} is not kept. Thread-safe.
 */
final class RecentManifests {
  /** Kept manifests never sum to more than this. */
  static final int MAX_BYTES = 256 * 1024;
  /** A manifest larger than this (a wide index) is read again when needed. */
  static final int MAX_ENTRY_BYTES = 32 * 1024;
  /** What an entry costs besides its bytes (the digest, the map's entry). */
  static final int ENTRY_BYTES = 256;

  /** Empty value: an image manifest whose bytes are not kept. */
  private final Map<Digest, Optional<Manifest>> byDigest = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /** Remembers {@code manifest} under its digest, evicting the least recently used over the cap. */
  synchronized void add(Manifest manifest) {
    if (manifest.size() > MAX_ENTRY_BYTES
        || byDigest.getOrDefault(manifest.digest(), Optional.empty()).isPresent()) {
      return;
    }
    keep(manifest.digest(), Optional.of(manifest));
  }

  /** Remembers that {@code digest} names an image manifest (no child manifests). */
  synchronized void addImage(Digest digest) {
    if (!byDigest.containsKey(digest)) {
      keep(digest, Optional.empty());
    }
  }

  /** The manifest whose bytes hash to {@code digest}, when it is one of those kept. */
  synchronized Optional<Manifest> get(Digest digest) {
    return byDigest.getOrDefault(digest, Optional.empty());
  }

  /**
   * The child manifests of {@code digest} when it is known: none for an image manifest, the
   * children of an index whose bytes are kept.
   */
  synchronized Optional<List<Descriptor>> children(Digest digest) {
    Optional<Manifest> known = byDigest.get(digest);
    if (known == null) {
      return Optional.empty();
    }
    return Optional.of(known.filter(Manifest::isIndex).map(Manifest::children).orElse(List.of()));
  }

  private void keep(Digest digest, Optional<Manifest> manifest) {
    Optional<Manifest> replaced = byDigest.put(digest, manifest);
    bytes += cost(manifest) - (replaced == null ? 0 : cost(replaced));
    Iterator<Optional<Manifest>> eldest = byDigest.values().iterator();
    while (bytes > MAX_BYTES) {
      bytes -= cost(eldest.next());
      eldest.remove();
    }
  }

  private static long cost(Optional<Manifest> manifest) {
    return ENTRY_BYTES + manifest.map(Manifest::size).orElse(0L);
  }
}
