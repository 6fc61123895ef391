package dev.satellite.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
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
    assertThat(CheckpointReader.read(written(CHECKPOINT)))
        .isEqualTo(CHECKPOINT);
  }

  @Test
  void invalidUtf8IsCorruption() throws IOException {
    String text = new String(written(CHECKPOINT), StandardCharsets.UTF_8);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int at = text.indexOf("library/app") + 3;
    bytes[at] = (byte) 0xC3;
    bytes[at + 1] = (byte) 0x28;

    assertThatThrownBy(() -> CheckpointReader.read(bytes))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("not well-formed JSON");
  }

  @Test
  void theChecksumIsTheSha256OfEveryByteUpToTheBracketThatClosesReferrers() throws Exception {
    Checkpoint marked =
        new Checkpoint(CHECKPOINT.configDigest(), CHECKPOINT.groups(),
            Map.of("library/app@sha256:" + "a".repeat(64), "mark"));
    String text = new String(written(marked), StandardCharsets.UTF_8);
    String tail = "\n  ],\n  \"sha256\": \"";
    assertThat(text).containsOnlyOnce(tail).endsWith("\"\n}");
    int regionEnd = text.indexOf(tail) + "\n  ]".length();
    String stated = text.substring(text.indexOf(tail) + tail.length(), text.length() - 3);

    byte[] region = text.substring(0, regionEnd).getBytes(StandardCharsets.UTF_8);
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(region)))
        .isEqualTo(stated);
  }

  @Test
  void aFileNotInUtf8IsRefusedAsSuch() throws IOException {
    String text = new String(written(CHECKPOINT), StandardCharsets.UTF_8);
    byte[] utf16 = text.getBytes(StandardCharsets.UTF_16BE);

    assertThatThrownBy(() -> CheckpointReader.read(utf16))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("not UTF-8 encoded");
  }

  @Test
  void membersOutOfOrderAreRejected() throws IOException {
    String text = new String(written(CHECKPOINT), StandardCharsets.UTF_8);
    String swapped = text.replace("\"format\"", "\"tmp\"").replace("\"version\"", "\"format\"");

    assertThatThrownBy(
            () -> CheckpointReader.read(swapped.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("expected member \"format\" but found member \"tmp\"");
  }
}
