package dev.satellite.registry;

import dev.satellite.core.OciGrammar;
import dev.satellite.registry.internal.Hashing;

/**
 * A content digest {@code algorithm:hex}, as used by OCI registries to address blobs and manifests.
 * Only {@code sha256} and {@code sha512} with lowercase hex are accepted (core {@link OciGrammar}).
 *
 * @param algorithm {@code sha256} or {@code sha512}
 * @param hex the lowercase hex encoding of the hash
 */
public record Digest(String algorithm, String hex) {

  /**
   * Validates both parts together.
   *
   * @throws IllegalArgumentException when the digest does not follow the grammar
   */
  public Digest {
    OciGrammar.requireDigest(algorithm + ":" + hex);
  }

  /**
   * Parses {@code "sha256:<64 hex>"} or {@code "sha512:<128 hex>"}.
   *
   * @throws IllegalArgumentException naming the value when it is not a valid digest
   */
  public static Digest parse(String value) {
    OciGrammar.requireDigest(value);
    int colon = value.indexOf(':');
    return new Digest(value.substring(0, colon), value.substring(colon + 1));
  }

  /** The sha256 digest of {@code content}. */
  public static Digest of(byte[] content) {
    return new Digest("sha256", Hashing.hex("sha256", content));
  }

  /** {@code algorithm:hex}, the form registries use on the wire. */
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
