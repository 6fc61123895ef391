package dev.satellite.benchmarks;

import dev.satellite.registry.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A reproducible stream of pseudo-random bytes of a given length: the same seed gives the same
 * bytes, so a layer of any size can be described, hashed and pushed without holding it anywhere.
 */
public final class SeededBytes extends InputStream {
  private final SplittableRandom random;
  private final long length;
  private long position;
  private long word;
  private int wordBytesLeft;

  public SeededBytes(long seed, long length) {
    this.random = new SplittableRandom(seed);
    this.length = length;
  }

  /** The sha256 digest of the {@code length} bytes of {@code seed}, computed by streaming. */
  public static Digest digest(long seed, long length) {
    try (InputStream in = new SeededBytes(seed, length)) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
      }
      return Digest.parse("sha256:" + HexFormat.of().formatHex(sha256.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int count) {
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(count, length - position);
    for (int i = 0; i < n; i++) {
      if (wordBytesLeft == 0) {
        word = random.nextLong();
        wordBytesLeft = 8;
      }
      buffer[offset + i] = (byte) word;
      word >>>= 8;
      wordBytesLeft--;
    }
    position += n;
    return n;
  }
}
