package dev.satellite.registry.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Maps digest algorithms to JCA message digests, and hashes to hex. It does not use {@code
 * Digest}, which is built on it (so the two do not depend on each other).
 */
public final class Hashing {
  private Hashing() {}

  /**
   * A fresh message digest for {@code sha256} or {@code sha512}.
   *
   * @throws IllegalArgumentException for any other algorithm
   */
  public static MessageDigest newMessageDigest(String algorithm) {
    String jcaName =
        switch (algorithm) {
          case "sha256" -> "SHA-256";
          case "sha512" -> "SHA-512";
          default ->
              throw new IllegalArgumentException(
                  "unsupported digest algorithm '" + algorithm + "': expected sha256 or sha512");
        };
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks " + jcaName, e);
    }
  }

  /** The lowercase hex of what {@code messageDigest} has seen; resets it. */
  public static String hex(MessageDigest messageDigest) {
    return HexFormat.of().formatHex(messageDigest.digest());
  }

  /** The lowercase hex of the {@code algorithm} hash of {@code content}. */
  public static String hex(String algorithm, byte[] content) {
    return HexFormat.of().formatHex(newMessageDigest(algorithm).digest(content));
  }
}
