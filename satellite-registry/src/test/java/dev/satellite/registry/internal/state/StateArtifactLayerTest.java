package dev.satellite.registry.internal.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.SatelliteException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class StateArtifactLayerTest {
  private static final byte[] JSON = "{\"states\":[],\"config\":\"\"}".getBytes(UTF_8);
  private static final String ACTION = "read satellite state h/s/state:latest";

  private final StateLayerReader reader = new StateLayerReader(1024);

  @Test
  void readsArtifactsJsonFromTheWrittenLayer() {
    byte[] layer = StateLayerWriter.write(JSON).gzip();
    assertThat(reader.read(new ByteArrayInputStream(layer), ACTION)).isEqualTo(JSON);
  }

  @Test
  void writerIsDeterministic() {
    byte[] first = StateLayerWriter.write(JSON).gzip();
    byte[] second = StateLayerWriter.write(JSON.clone()).gzip();
    byte[] other = StateLayerWriter.write("{\"states\":null}".getBytes(UTF_8)).gzip();
    assertThat(first).isEqualTo(second).isNotEqualTo(other);
  }

  @Test
  void writerUsesFixedOwnerModeAndTime() {
    byte[] tar = StateLayerWriter.write(JSON).tar();
    assertThat(field(tar, 100, 7)).isEqualTo("0000644");
    assertThat(field(tar, 108, 7)).isEqualTo("0000000");
    assertThat(field(tar, 116, 7)).isEqualTo("0000000");
    assertThat(field(tar, 136, 11)).isEqualTo("00000000000");
    assertThat(field(tar, 257, 5)).isEqualTo("ustar");
    assertThat(tar.length % 512).isZero();
  }

  @Test
  void acceptsDotSlashName() {
    byte[] layer = gzip(entry("./artifacts.json", JSON, '0'), end());
    assertThat(reader.read(new ByteArrayInputStream(layer), ACTION)).isEqualTo(JSON);
  }

  @Test
  void skipsOtherEntriesBeforeArtifactsJson() {
    byte[] layer =
        gzip(
            entry("./", new byte[0], '5'),
            entry("README", new byte[700], '0'),
            entry("artifacts.json", "not this one".getBytes(UTF_8), '2'),
            entry("artifacts.json", JSON, '0'),
            end());
    assertThat(reader.read(new ByteArrayInputStream(layer), ACTION)).isEqualTo(JSON);
  }

  @Test
  void readsUncompressedTar() {
    byte[] layer = StateLayerWriter.write(JSON).tar();
    assertThat(reader.read(new ByteArrayInputStream(layer), ACTION)).isEqualTo(JSON);
  }

  @Test
  void skipsEntryWhoseSizeIsInBase256() {
    byte[] big = entry("blob", new byte[600], '0');
    Arrays.fill(big, 124, 136, (byte) 0);
    big[124] = (byte) 0x80;
    big[134] = 0x02;
    big[135] = 0x58;
    fixChecksum(big);
    byte[] layer = gzip(big, entry("artifacts.json", JSON, '0'), end());
    assertThat(reader.read(new ByteArrayInputStream(layer), ACTION)).isEqualTo(JSON);
  }

  @Test
  void rejectsLayerWithoutArtifactsJson() {
    byte[] layer = gzip(entry("other.json", JSON, '0'), end());
    assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(layer), ACTION))
        .isInstanceOf(SatelliteException.class)
        .hasMessage(ACTION + ": layer has no artifacts.json");
  }

  @Test
  void rejectsOversizedArtifactsJsonBeforeReadingIt() {
    byte[] header = StateLayerWriter.header("artifacts.json", 9L << 20, '0');
    CountingStream in = new CountingStream(new ByteArrayInputStream(header));
    assertThatThrownBy(() -> reader.read(in, ACTION))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("artifacts.json is 9437184 bytes, over the limit of 1024 bytes");
    assertThat(in.count).isEqualTo(512);
  }

  @Test
  void rejectsDecompressionBomb() {
    byte[] layer =
        gzip(entry("padding", new byte[32 << 20], '0'), entry("artifacts.json", JSON, '0'));
    assertThat((long) layer.length).isLessThan(reader.maxLayerBytes());
    CountingStream in = new CountingStream(new ByteArrayInputStream(layer));
    assertThatThrownBy(() -> reader.read(in, ACTION))
        .isInstanceOf(SatelliteException.class)
        .hasMessage(
            ACTION
                + ": decompressed state layer exceeds the limit of "
                + reader.maxLayerBytes()
                + " bytes");
    assertThat(in.count).isLessThan(layer.length);
  }

  @Test
  void rejectsEndlessLayer() {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 0;
          }
        };
    InputStream layer =
        new java.io.SequenceInputStream(
            new ByteArrayInputStream(StateLayerWriter.write(JSON).tar()), endless);
    assertThatThrownBy(() -> reader.read(layer, ACTION))
        .hasMessage(
            ACTION + ": state layer exceeds the limit of " + reader.maxLayerBytes() + " bytes");
  }

  @Test
  void drainsTheLayerAfterArtifactsJson() {
    byte[] tar = StateLayerWriter.write(JSON).tar();
    CountingStream in = new CountingStream(new ByteArrayInputStream(tar));
    reader.read(in, ACTION);
    assertThat(in.count).isEqualTo(tar.length);
  }

  @Test
  void rejectsBytesThatAreNeitherGzipNorTar() {
    byte[] junk = new byte[1024];
    Arrays.fill(junk, (byte) 'x');
    assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(junk), ACTION))
        .hasMessage(ACTION + ": layer is not a tar archive (bad checksum field at byte 0)");
  }

  @Test
  void rejectsCorruptTarChecksum() {
    byte[] tar = StateLayerWriter.write(JSON).tar();
    tar[0] = 'A';
    assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(tar), ACTION))
        .hasMessage(ACTION + ": layer is not a tar archive (bad header checksum at byte 0)");
  }

  @Test
  void rejectsCorruptGzip() {
    byte[] layer = StateLayerWriter.write(JSON).gzip();
    Arrays.fill(layer, 10, layer.length, (byte) 0x55);
    assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(layer), ACTION))
        .hasMessageStartingWith(ACTION + ": layer is not valid gzip");
  }

  @Test
  void rejectsTruncatedArtifactsJson() {
    byte[] tar = StateLayerWriter.write(JSON).tar();
    byte[] cut = Arrays.copyOf(tar, 512 + 10);
    assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(cut), ACTION))
        .hasMessage(ACTION + ": artifacts.json is truncated");
  }

  @Test
  void rejectsLayerEndingBeforeAnyEntryEnds() {
    byte[] layer = gzip(Arrays.copyOf(entry("README", new byte[2000], '0'), 1024));
    assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(layer), ACTION))
        .hasMessage(ACTION + ": layer ends inside tar entry 'README' (truncated)");
  }

  @Test
  void rejectsEmptyLayer() {
    assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(new byte[0]), ACTION))
        .hasMessage(
            ACTION + ": layer ends at byte 0 without artifacts.json (truncated tar archive)");
  }

  @Test
  void rejectsNonPositiveCap() {
    assertThatThrownBy(() -> new StateLayerReader(0)).isInstanceOf(IllegalArgumentException.class);
  }

  static byte[] entry(String name, byte[] content, char type) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(StateLayerWriter.header(name, content.length, type));
    out.writeBytes(content);
    out.writeBytes(new byte[StateLayerWriter.padding(content.length)]);
    return out.toByteArray();
  }

  static byte[] end() {
    return new byte[1024];
  }

  static byte[] gzip(byte[]... parts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      for (byte[] part : parts) {
        out.write(part);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  private static void fixChecksum(byte[] header) {
    Arrays.fill(header, 148, 156, (byte) ' ');
    int sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += header[i] & 0xff;
    }
    byte[] text = String.format("%06o\0 ", sum).getBytes(UTF_8);
    System.arraycopy(text, 0, header, 148, 8);
  }

  private static String field(byte[] tar, int offset, int length) {
    return new String(tar, offset, length, UTF_8);
  }

  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count += b < 0 ? 0 : 1;
      return b;
    }
  }
}
