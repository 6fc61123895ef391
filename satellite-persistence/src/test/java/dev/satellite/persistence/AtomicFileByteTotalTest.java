package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileByteTotalTest {
  private static final Instant CREATED = Instant.parse("2026-12-01T20:00:00Z");
  @TempDir Path dir;

  @Test
  void aNewTotalIsWrittenAtOnceAndKeptAcrossReopens() throws Exception {
    Path file = dir.resolve("upstream-bytes.json");
    AtomicFileByteTotal total = AtomicFileByteTotal.open(file, Clock.fixed(CREATED, ZoneOffset.UTC));

    assertThat(Files.readString(file)).isEqualTo("{\"format\":\"satellite-byte-total\","
        + "\"version\":1,\"since\":\"2026-12-01T20:00:00Z\",\"bytes\":0}\n");
    assertThat(total.add(1000)).isEqualTo(1000);
    assertThat(total.add(234)).isEqualTo(1234);

    AtomicFileByteTotal reopened = AtomicFileByteTotal.open(file);
    assertThat(reopened.bytes()).isEqualTo(1234);
    assertThat(reopened.since()).isEqualTo(CREATED);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void anUnreadableFileIsMovedAsideAndCountingStartsAgain() throws Exception {
    Path file = dir.resolve("upstream-bytes.json");
    Files.writeString(file, "{\"format\":\"satellite-byte-total\",\"version\":1,\"since\":\"x\"");

    AtomicFileByteTotal total = AtomicFileByteTotal.open(file, Clock.fixed(CREATED, ZoneOffset.UTC));

    assertThat(total.bytes()).isZero();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("upstream-bytes.json",
              "upstream-bytes.json.corrupt-20261201T200000.000Z");
    }
  }

  @Test
  void aTotalFollowedByOtherContentIsMovedAsideToo() throws Exception {
    Path file = dir.resolve("upstream-bytes.json");
    Files.writeString(file, "{\"format\":\"satellite-byte-total\",\"version\":1,"
        + "\"since\":\"2026-11-01T00:00:00Z\",\"bytes\":7}\n{\"bytes\":9}\n");

    AtomicFileByteTotal total = AtomicFileByteTotal.open(file, Clock.fixed(CREATED, ZoneOffset.UTC));

    assertThat(total.bytes()).isZero();
    assertThat(total.since()).isEqualTo(CREATED);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("upstream-bytes.json",
              "upstream-bytes.json.corrupt-20261201T200000.000Z");
    }
  }

  @Test
  void aNegativeCountIsRefusedAndNothingIsWrittenForZero() throws Exception {
    Path file = dir.resolve("total.json");
    AtomicFileByteTotal total = AtomicFileByteTotal.open(file);
    long modified = Files.getLastModifiedTime(file).toMillis();
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(modified - 10_000));

    assertThat(total.add(0)).isZero();
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified - 10_000);
    assertThatThrownBy(() -> total.add(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
