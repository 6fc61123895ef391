package dev.satellite.registry;

import dev.satellite.registry.internal.Hashing;
import dev.satellite.registry.internal.ManifestJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A manifest exactly as the registry served it. The bytes are kept and never re-serialized, so
 * pushing this value elsewhere preserves its digest byte-for-byte.
 *
 * <p>An image manifest (OCI or Docker v2 schema 2) references a config and layers ({@link
 * #config()}, {@link #layers()}); an index or manifest list references child manifests with their
 * platforms ({@link #children()}). The JSON is parsed only when one of these is asked for.
 */
public final class Manifest {
  private final byte[] bytes;
  private final String mediaType;
  private final Digest digest;

  private Manifest(byte[] bytes, String mediaType, Digest digest) {
    this.bytes = bytes;
    this.mediaType = mediaType;
    this.digest = digest;
  }

  /**
   * Wraps {@code bytes} of the given media type; the digest is their sha256.
   *
   * @throws IllegalArgumentException when the media type is blank
   */
  public static Manifest of(String mediaType, byte[] bytes) {
    return of(mediaType, bytes, "sha256");
  }

  /**
   * Wraps {@code bytes} and computes their digest with {@code algorithm} ({@code sha256} or {@code
   * sha512}), e.g. to match the algorithm of the digest it was fetched by.
   *
   * @throws IllegalArgumentException when the media type is blank or the algorithm unsupported
   */
  public static Manifest of(String mediaType, byte[] bytes, String algorithm) {
    if (mediaType == null || mediaType.isBlank()) {
      throw new IllegalArgumentException("manifest media type is required");
    }
    byte[] copy = Objects.requireNonNull(bytes, "bytes").clone();
    return new Manifest(copy, mediaType, new Digest(algorithm, Hashing.hex(algorithm, copy)));
  }

  /** A copy of the raw bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public String mediaType() {
    return mediaType;
  }

  public Digest digest() {
    return digest;
  }

  public long size() {
    return bytes.length;
  }

  /** This manifest as a descriptor (media type, digest, size). */
  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest, bytes.length);
  }

  /** True for an OCI image index or a Docker manifest list. */
  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType);
  }

  /**
   * The config descriptor of an image manifest.
   *
   * @throws IllegalStateException when this is an index
   * @throws dev.satellite.core.SatelliteException when the JSON is invalid
   */
  public Descriptor config() {
    requireImage("config");
    return ManifestJson.config(bytes, describe());
  }

  /**
   * The layer descriptors of an image manifest, in manifest order.
   *
   * @throws IllegalStateException when this is an index
   * @throws dev.satellite.core.SatelliteException when the JSON is invalid
   */
  public List<Descriptor> layers() {
    requireImage("layers");
    return ManifestJson.layers(bytes, describe());
  }

  /**
   * The config followed by the layers: every blob an image manifest references.
   *
   * @throws IllegalStateException when this is an index
   * @throws dev.satellite.core.SatelliteException when the JSON is invalid
   */
  public List<Descriptor> blobs() {
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(config());
    blobs.addAll(layers());
    return Collections.unmodifiableList(blobs);
  }

  /**
   * The child manifests of an index, each with its platform when the index names one.
   *
   * @throws IllegalStateException when this is not an index
   * @throws dev.satellite.core.SatelliteException when the JSON is invalid
   */
  public List<Descriptor> children() {
    if (!isIndex()) {
      throw new IllegalStateException(describe() + " is not an index: it has no child manifests");
    }
    return ManifestJson.children(bytes, describe());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest other
        && digest.equals(other.digest)
        && mediaType.equals(other.mediaType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(digest, mediaType);
  }

  @Override
  public String toString() {
    return describe();
  }

  private String describe() {
    return "manifest " + digest + " (" + mediaType + ", " + bytes.length + " bytes)";
  }

  private void requireImage(String what) {
    if (isIndex()) {
      throw new IllegalStateException(
          describe() + " is an index: it has no " + what + "; read its children()");
    }
  }
}
