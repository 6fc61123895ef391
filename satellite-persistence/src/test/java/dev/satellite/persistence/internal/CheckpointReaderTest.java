package dev.satellite.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckpointReaderTest {
  private static final Checkpoint CHECKPOINT =
      new Checkpoint(
          Optional.empty(),
          Map.of("g1", List.of(new Entity("library/app", "v1", "sha256:" + "a".repeat(64)))));

  private static byte[] written(Checkpoint checkpoint) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CheckpointWriter.write(checkpoint, Instant.parse("2026-01-01T00:00:00Z"), out);
    return out.toByteArray();
  }

  @Test
  void readsWhatTheWriterWrote() throws Exception {
    assertThat(CheckpointReader.read(new ByteArrayInputStream(written(CHECKPOINT))))
        .isEqualTo(CHECKPOINT);
  }

  @Test
  void failingStreamIsAnIoErrorNotCorruption() throws IOException {
    byte[] bytes = written(CHECKPOINT);
    InputStream failing =
        new FilterInputStream(new ByteArrayInputStream(bytes, 0, 40)) {
          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
              throw new IOException("Input/output error");
            }
            return n;
          }
        };

    assertThatThrownBy(() -> CheckpointReader.read(failing))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("Input/output error");
  }

  @Test
  void invalidUtf8IsCorruption() throws IOException {
    String text = new String(written(CHECKPOINT), StandardCharsets.UTF_8);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int at = text.indexOf("library/app") + 3;
    bytes[at] = (byte) 0xC3;
    bytes[at + 1] = (byte) 0x28;

    assertThatThrownBy(() -> CheckpointReader.read(new ByteArrayInputStream(bytes)))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("not well-formed JSON");
  }

  @Test
  void checksumCoversValuesNotLayout() throws Exception {
    String compact =
        new String(written(CHECKPOINT), StandardCharsets.UTF_8).replaceAll("\\s+", "");
    Checkpoint read =
        CheckpointReader.read(new ByteArrayInputStream(compact.getBytes(StandardCharsets.UTF_8)));
    assertThat(read).isEqualTo(CHECKPOINT);
  }

  @Test
  void membersOutOfOrderAreRejected() throws IOException {
    String text = new String(written(CHECKPOINT), StandardCharsets.UTF_8);
    String swapped = text.replace("\"format\"", "\"tmp\"").replace("\"version\"", "\"format\"");

    assertThatThrownBy(
            () -> CheckpointReader.read(
                new ByteArrayInputStream(swapped.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("expected member \"format\" but found member \"tmp\"");
  }
}
