package dev.satellite.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * Points at content in a registry: what it is, its digest and its size in bytes. Children of an
 * index carry the platform they run on.
 *
 * @param size in bytes, never negative
 */
public record Descriptor(String mediaType, Digest digest, long size, Optional<Platform> platform) {

  /**
   * @throws IllegalArgumentException when the media type is blank or the size negative
   */
  public Descriptor {
    if (mediaType == null || mediaType.isBlank()) {
      throw new IllegalArgumentException("descriptor of " + digest + " has no media type");
    }
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("descriptor of " + digest + " has negative size " + size);
    }
    Objects.requireNonNull(platform, "platform");
  }

  /** A descriptor without platform. */
  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, Optional.empty());
  }
}
