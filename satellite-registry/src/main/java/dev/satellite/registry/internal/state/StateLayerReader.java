package dev.satellite.registry.internal.state;

import dev.satellite.core.SatelliteException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Extracts {@code artifacts.json} from a state artifact layer: a tar archive, gzip-compressed or
 * not, read as a stream (nothing is written to disk).
 *
 * <p>Only the entry named {@code artifacts.json} (or {@code ./artifacts.json}) is read; other
 * entries are skipped. Three bounds hold whatever the input: {@code artifacts.json} is at most
 * {@code maxBytes} (its size is checked in its header before it is read), and both the layer and
 * its decompressed tar stream are at most {@code 2 * maxBytes + 1 MiB}, so a decompression bomb or
 * an endless stream fails early. After the entry is read the rest of the layer is drained, so that
 * a digest-verifying stream sees its end.
 */
public final class StateLayerReader {
  /** Default cap on the size of {@code artifacts.json}: 8 MiB. */
  public static final int DEFAULT_MAX_BYTES = 8 << 20;

  private static final int BLOCK = 512;
  private static final String NAME = "artifacts.json";

  private final int maxBytes;

  /**
   * @throws IllegalArgumentException when {@code maxBytes} is not positive
   */
  public StateLayerReader(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** The largest layer (compressed or not) this reader accepts. */
  public long maxLayerBytes() {
    return 2L * maxBytes + (1 << 20);
  }

  /**
   * Reads {@code artifacts.json} out of {@code layer}. The stream is consumed but not closed.
   *
   * @param action what is being done, named in errors (e.g. {@code "read group state <ref>"})
   * @throws SatelliteException naming the action when the layer is not a readable tar (or tar.gz),
   *     has no {@code artifacts.json}, or passes a size bound
   */
  public byte[] read(InputStream layer, String action) {
    BoundedInputStream raw = new BoundedInputStream(layer, maxLayerBytes(), "state layer");
    try {
      BufferedInputStream buffered = new BufferedInputStream(raw);
      InputStream tar =
          new BoundedInputStream(
              isGzip(buffered) ? new GZIPInputStream(buffered) : buffered,
              maxLayerBytes(),
              "decompressed state layer");
      byte[] json = extract(tar, action);
      raw.transferTo(OutputStream.nullOutputStream());
      return json;
    } catch (BoundedInputStream.LimitExceeded e) {
      throw new SatelliteException(action + ": " + e.getMessage(), e);
    } catch (ZipException e) {
      throw new SatelliteException(action + ": layer is not valid gzip: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new SatelliteException(action + ": layer is truncated", e);
    } catch (IOException e) {
      throw new SatelliteException(action + ": cannot read layer: " + e.getMessage(), e);
    }
  }

  private byte[] extract(InputStream tar, String action) throws IOException {
    byte[] header = new byte[BLOCK];
    long offset = 0;
    while (true) {
      if (tar.readNBytes(header, 0, BLOCK) < BLOCK) {
        throw new SatelliteException(
            action
                + ": layer ends at byte "
                + offset
                + " without "
                + NAME
                + " (truncated tar archive)");
      }
      if (isZero(header)) {
        throw new SatelliteException(action + ": layer has no " + NAME);
      }
      TarHeader entry = TarHeader.parse(header, offset, action);
      offset += BLOCK;
      long padded = (entry.size() + BLOCK - 1) / BLOCK * BLOCK;
      if (entry.isRegularFile()
          && (entry.name().equals(NAME) || entry.name().equals("./" + NAME))) {
        if (entry.size() > maxBytes) {
          throw new SatelliteException(
              action
                  + ": "
                  + NAME
                  + " is "
                  + entry.size()
                  + " bytes, over the limit of "
                  + maxBytes
                  + " bytes");
        }
        byte[] json = tar.readNBytes((int) entry.size());
        if (json.length < entry.size()) {
          throw new SatelliteException(action + ": " + NAME + " is truncated");
        }
        return json;
      }
      if (tar.skip(padded) < padded) {
        throw new SatelliteException(
            action + ": layer ends inside tar entry '" + entry.name() + "' (truncated)");
      }
      offset += padded;
    }
  }

  private static boolean isGzip(BufferedInputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == 0x1f && second == 0x8b;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** The fields of a ustar header this reader needs. */
  record TarHeader(String name, long size, byte type) {
    boolean isRegularFile() {
      return type == '0' || type == 0 || type == '7';
    }

    static TarHeader parse(byte[] h, long offset, String action) {
      long stored = octal(h, 148, 8, offset, "checksum", action);
      long unsigned = 0;
      long signed = 0;
      for (int i = 0; i < BLOCK; i++) {
        int b = i >= 148 && i < 156 ? ' ' : h[i];
        unsigned += b & 0xff;
        signed += b;
      }
      if (stored != unsigned && stored != signed) {
        throw new SatelliteException(
            action + ": layer is not a tar archive (bad header checksum at byte " + offset + ")");
      }
      String name = text(h, 0, 100);
      if (text(h, 257, 5).equals("ustar")) {
        String prefix = text(h, 345, 155);
        name = prefix.isEmpty() ? name : prefix + "/" + name;
      }
      return new TarHeader(name, size(h, offset, action), h[156]);
    }

    private static long size(byte[] h, long offset, String action) {
      if ((h[124] & 0x80) == 0) {
        return octal(h, 124, 12, offset, "size", action);
      }
      long value = 0;
      for (int i = 125; i < 136; i++) {
        if (value > (Long.MAX_VALUE >> 8) || (i == 125 && (h[124] & 0x7f) != 0)) {
          throw new SatelliteException(
              action + ": tar entry size at byte " + offset + " is out of range");
        }
        value = (value << 8) | (h[i] & 0xff);
      }
      return value;
    }

    private static long octal(
        byte[] h, int start, int length, long offset, String field, String action) {
      long value = 0;
      int i = start;
      int end = start + length;
      while (i < end && (h[i] == ' ' || h[i] == 0)) {
        i++;
      }
      int digits = 0;
      for (; i < end && h[i] != 0 && h[i] != ' '; i++, digits++) {
        if (h[i] < '0' || h[i] > '7' || digits >= 21) {
          throw new SatelliteException(
              action
                  + ": layer is not a tar archive (bad "
                  + field
                  + " field at byte "
                  + offset
                  + ")");
        }
        value = (value << 3) | (h[i] - '0');
      }
      return value;
    }

    private static String text(byte[] h, int start, int length) {
      int end = start;
      while (end < start + length && h[end] != 0) {
        end++;
      }
      return new String(h, start, end - start, StandardCharsets.UTF_8);
    }
  }
}
