package dev.satellite.registry.internal.state;

import dev.satellite.core.SatelliteException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a state artifact layer: a gzip-compressed tar archive holding one regular file, {@code
 * artifacts.json}. The archive is deterministic: a fixed modification time (the epoch), uid/gid 0,
 * mode 0644, no user or group names, and a gzip header without a time stamp, so the same content
 * always gives the same layer digest.
 */
public final class StateLayerWriter {
  private static final int BLOCK = 512;

  private StateLayerWriter() {}

  /** The layer in both forms: {@code tar} (its digest is the diff ID) and {@code gzip}. */
  public record Layer(byte[] tar, byte[] gzip) {}

  /**
   * @throws SatelliteException when {@code artifactsJson} is too large for a ustar entry
   */
  public static Layer write(byte[] artifactsJson) {
    if (artifactsJson.length > 077777777777L) {
      throw new SatelliteException("artifacts.json is too large for a tar entry");
    }
    ByteArrayOutputStream tar = new ByteArrayOutputStream(artifactsJson.length + 3 * BLOCK);
    tar.writeBytes(header("artifacts.json", artifactsJson.length, '0'));
    tar.writeBytes(artifactsJson);
    tar.writeBytes(new byte[padding(artifactsJson.length) + 2 * BLOCK]);
    byte[] tarBytes = tar.toByteArray();
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
      out.write(tarBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory gzip", e);
    }
    return new Layer(tarBytes, gzip.toByteArray());
  }

  /** A ustar header for a {@code type} entry with the fixed metadata described above. */
  public static byte[] header(String name, long size, char type) {
    byte[] h = new byte[BLOCK];
    put(h, 0, name);
    put(h, 100, "0000644\0");
    put(h, 108, "0000000\0");
    put(h, 116, "0000000\0");
    put(h, 124, String.format("%011o\0", size));
    put(h, 136, "00000000000\0");
    put(h, 148, "        ");
    h[156] = (byte) type;
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o\0 ", sum));
    return h;
  }

  static int padding(long size) {
    return (int) ((BLOCK - size % BLOCK) % BLOCK);
  }

  private static void put(byte[] h, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, h, offset, bytes.length);
  }
}
