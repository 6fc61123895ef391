package dev.satellite.persistence.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * SHA-256 over a canonical encoding of a sequence of values, independent of JSON whitespace,
 * escaping and number formatting. It is the checksum of upload records ({@link
 * UploadRecordCodec}) and names their files ({@code AtomicFileUploadJournal}); for checkpoints it
 * is kept only to verify files of format versions 1 and 2, whose {@code sha256} it is (version 3
 * hashes the file's bytes, see {@link CheckpointFormat}).
 *
 * <p>For a checkpoint the hashed byte sequence is
 *
 * <pre>
 *   str(format) str(version) str(savedAt) (str(configDigest) | NULL)
 *   BEGIN { str(ref) BEGIN { str(repository) str(tag) str(digest) }* END }* END
 *   BEGIN { str(image) str(mark) }* END                  (version 2 only: the referrers)
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
    sha256 = Sha256.newDigest();
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
    return Sha256.hex(sha256);
  }
}
