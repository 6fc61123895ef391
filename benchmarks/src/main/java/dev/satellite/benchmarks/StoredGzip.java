package dev.satellite.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * A valid gzip stream (RFC 1952) whose deflate data (RFC 1951) is made of <em>stored</em>
 * blocks: the payload passes through uncompressed, framed by a 5-byte header every 65,535 bytes.
 * Benchmark layers use it so that they are real {@code tar+gzip}-typed blobs that every client
 * copies as they are (a client that finds plain bytes behind a gzip media type may compress them
 * on the way, changing the digest), at no compression cost and with a size known in advance.
 */
final class StoredGzip extends InputStream {
  private static final int MAX_BLOCK = 65_535;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final InputStream payload;
  private final long payloadLength;
  private final CRC32 crc = new CRC32();
  private final byte[] framing = HEADER.clone();
  private int framingStart;
  private int framingEnd = HEADER.length;
  private long payloadLeft;
  private int blockLeft;
  private boolean blockQueued;
  private boolean trailerQueued;

  /** Frames the {@code payloadLength} bytes that {@code payload} yields. */
  StoredGzip(InputStream payload, long payloadLength) {
    this.payload = payload;
    this.payloadLength = payloadLength;
    this.payloadLeft = payloadLength;
  }

  /** The size of the gzip stream framing {@code payloadLength} bytes. */
  static long size(long payloadLength) {
    long blocks = Math.max(1, (payloadLength + MAX_BLOCK - 1) / MAX_BLOCK);
    return HEADER.length + 5 * blocks + payloadLength + 8;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int count) throws IOException {
    if (count == 0) {
      return 0;
    }
    if (framingStart == framingEnd && !queueFraming()) {
      return -1;
    }
    if (framingStart < framingEnd) {
      int n = Math.min(count, framingEnd - framingStart);
      System.arraycopy(framing, framingStart, buffer, offset, n);
      framingStart += n;
      return n;
    }
    int n = payload.read(buffer, offset, Math.min(count, blockLeft));
    if (n < 0) {
      throw new IOException(
          "payload ended after " + (payloadLength - payloadLeft) + " of " + payloadLength
              + " bytes");
    }
    crc.update(buffer, offset, n);
    blockLeft -= n;
    payloadLeft -= n;
    return n;
  }

  /**
   * Queues the next framing bytes (a block header, then the trailer) once the payload of the
   * current block is read; false at the end of the stream.
   */
  private boolean queueFraming() {
    if (blockLeft > 0) {
      return true;
    }
    framingStart = 0;
    if (!blockQueued || payloadLeft > 0) {
      int length = (int) Math.min(MAX_BLOCK, payloadLeft);
      framing[0] = (byte) (payloadLeft - length == 0 ? 1 : 0);
      putShort(1, length);
      putShort(3, ~length & 0xffff);
      framingEnd = 5;
      blockLeft = length;
      blockQueued = true;
    } else if (!trailerQueued) {
      putInt(0, crc.getValue());
      putInt(4, payloadLength);
      framingEnd = 8;
      trailerQueued = true;
    } else {
      framingEnd = 0;
      return false;
    }
    return true;
  }

  private void putShort(int at, int value) {
    framing[at] = (byte) value;
    framing[at + 1] = (byte) (value >>> 8);
  }

  private void putInt(int at, long value) {
    putShort(at, (int) value & 0xffff);
    putShort(at + 2, (int) (value >>> 16) & 0xffff);
  }

  @Override
  public void close() throws IOException {
    payload.close();
  }
}
