package dev.satellite.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A blob for tests: either small bytes held in memory, or {@code size} pseudo-random bytes from a
 * seed, produced on demand by {@link #open()} and never held in memory (so a 1 GiB layer costs a
 * few kilobytes). The same seed and size always give the same bytes and so the same digest, which
 * is computed once, by a streaming pass, on first use.
 */
public final class TestBlob {
  private static final int CHUNK = 64 * 1024;

  private final byte[] bytes;
  private final long seed;
  private final long size;
  private volatile String digest;

  private TestBlob(byte[] bytes, long seed, long size) {
    this.bytes = bytes;
    this.seed = seed;
    this.size = size;
  }

  /** {@code size} pseudo-random bytes determined by {@code seed}. */
  public static TestBlob random(long seed, long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0: " + size);
    }
    return new TestBlob(null, seed, size);
  }

  /** These exact bytes (config JSON, small layers). */
  public static TestBlob of(byte[] bytes) {
    return new TestBlob(bytes.clone(), 0, bytes.length);
  }

  public long size() {
    return size;
  }

  /** The content, from the first byte; a new stream on each call. */
  public InputStream open() {
    return bytes != null ? new ByteArrayInputStream(bytes) : new SeededStream(seed, size);
  }

  /** The content as bytes; only for blobs small enough to hold (at most 64 MiB). */
  public byte[] bytes() {
    if (bytes != null) {
      return bytes.clone();
    }
    if (size > 64L * 1024 * 1024) {
      throw new IllegalStateException("blob of " + size + " bytes is too large to hold; use open()");
    }
    try (InputStream in = open()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code sha256:<hex>} of the content. */
  public String digest() {
    String d = digest;
    if (d == null) {
      d = digest = "sha256:" + HexFormat.of().formatHex(sha256());
    }
    return d;
  }

  private byte[] sha256() {
    try (InputStream in = open()) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[CHUNK];
      for (int n; (n = in.read(buf)) != -1; ) {
        md.update(buf, 0, n);
      }
      return md.digest();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TestBlob b && size == b.size && digest().equals(b.digest());
  }

  @Override
  public int hashCode() {
    return Objects.hash(size, digest());
  }

  @Override
  public String toString() {
    return "TestBlob[" + size + " bytes" + (bytes == null ? ", seed " + seed : "") + "]";
  }

  /** Deterministic pseudo-random bytes of a known length; 8 bytes per generator step. */
  private static final class SeededStream extends InputStream {
    private final SplittableRandom random;
    private long remaining;
    private long word;
    private int wordBytes;

    SeededStream(long seed, long size) {
      this.random = new SplittableRandom(seed);
      this.remaining = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        if (wordBytes == 0) {
          word = random.nextLong();
          wordBytes = 8;
        }
        b[off + i] = (byte) word;
        word >>>= 8;
        wordBytes--;
      }
      remaining -= n;
      return n;
    }

    @Override
    public long skip(long n) {
      long skipped = 0;
      byte[] buf = new byte[CHUNK];
      while (skipped < n && remaining > 0) {
        skipped += read(buf, 0, (int) Math.min(buf.length, n - skipped));
      }
      return skipped;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, remaining);
    }
  }
}
