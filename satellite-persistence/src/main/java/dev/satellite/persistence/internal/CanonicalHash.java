package dev.satellite.persistence.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checkpoint checksum: SHA-256 over a canonical encoding of the checkpoint's values, in
 * document order, independent of JSON whitespace, escaping and number formatting.
 *
 * <p>The hashed byte sequence is
 *
 * <pre>
 *   str(format) str(version) str(savedAt) (str(configDigest) | NULL)
 *   BEGIN { str(ref) BEGIN { str(repository) str(tag) str(digest) }* END }* END
 * </pre>
 *
 * where {@code str(s)} is the byte {@code 0x01}, the length of the UTF-8 encoding of {@code s} as
 * a 4-byte big-endian integer, then those bytes; {@code NULL} is {@code 0x00}; {@code BEGIN} is
 * {@code 0x5B} and {@code END} is {@code 0x5D}. {@code version} is its decimal form ({@code "1"})
 * and {@code savedAt} is the parsed instant in ISO-8601 ({@link java.time.Instant#toString()}).
 * The encoding is prefix-free, so two different checkpoints never share a hashed sequence: any
 * changed value (a flipped hex digit in a digest, a dropped entity) changes the checksum.
 */
public final class CanonicalHash {
  private static final byte STRING = 0x01;
  private static final byte NULL = 0x00;
  private static final byte BEGIN = 0x5B;
  private static final byte END = 0x5D;

  private final MessageDigest sha256;
  private final ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);

  public CanonicalHash() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** Adds a string value. */
  public CanonicalHash string(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha256.update(STRING);
    length.clear();
    length.putInt(bytes.length);
    sha256.update(length.array());
    sha256.update(bytes);
    return this;
  }

  /** Adds a string value that may be absent. */
  public CanonicalHash nullableString(String value) {
    if (value == null) {
      sha256.update(NULL);
      return this;
    }
    return string(value);
  }

  /** Marks the start of a list. */
  public CanonicalHash begin() {
    sha256.update(BEGIN);
    return this;
  }

  /** Marks the end of a list. */
  public CanonicalHash end() {
    sha256.update(END);
    return this;
  }

  /** The checksum as 64 lowercase hex digits. Ends this hash: call once. */
  public String hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }
}
