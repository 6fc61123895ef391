package dev.satellite.registry.testing.faults;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response body on its way to the client: counts the bytes written, inverts one byte ({@link
 * Fault.CorruptByte}), and stops with {@link CutOff} once the bytes a {@link Fault.DropAfter} or
 * {@link Fault.Truncate} lets through are written.
 */
final class DamagingStream extends FilterOutputStream {
  /** Thrown when the fault's byte budget is spent: the connection is to be closed. */
  static final class CutOff extends IOException {
    CutOff() {
      super("cut off by an injected fault");
    }
  }

  private final long limit;
  private final long flipAt;
  private long written;

  private DamagingStream(OutputStream out, long limit, long flipAt) {
    super(out);
    this.limit = limit;
    this.flipAt = flipAt;
  }

  /**
   * @param length the declared body length, -1 when unknown (a truncation then cuts right after
   *     the head)
   */
  static DamagingStream of(OutputStream out, Fault fault, long length) {
    if (fault instanceof Fault.DropAfter d) {
      return new DamagingStream(out, d.bytes(), -1);
    }
    if (fault instanceof Fault.Truncate t) {
      return new DamagingStream(out, length < 0 ? 0 : Math.max(0, length - t.missingBytes()), -1);
    }
    if (fault instanceof Fault.CorruptByte c) {
      return new DamagingStream(out, Long.MAX_VALUE, c.offset());
    }
    return new DamagingStream(out, Long.MAX_VALUE, -1);
  }

  long written() {
    return written;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (written >= limit) {
      throw new CutOff();
    }
    int n = (int) Math.min(len, limit - written);
    byte[] chunk = java.util.Arrays.copyOfRange(b, off, off + n);
    if (flipAt >= written && flipAt < written + n) {
      chunk[(int) (flipAt - written)] ^= (byte) 0xff;
    }
    out.write(chunk, 0, n);
    written += n;
    if (n < len) {
      throw new CutOff();
    }
  }
}
