package dev.satellite.registry.internal;

import dev.satellite.registry.Digest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Maps digest algorithms to JCA message digests. */
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

  /** The digest of what {@code messageDigest} has seen; resets it. */
  public static Digest finish(String algorithm, MessageDigest messageDigest) {
    return new Digest(algorithm, HexFormat.of().formatHex(messageDigest.digest()));
  }

  public static Digest digestOf(String algorithm, byte[] content) {
    MessageDigest md = newMessageDigest(algorithm);
    md.update(content);
    return finish(algorithm, md);
  }
}
