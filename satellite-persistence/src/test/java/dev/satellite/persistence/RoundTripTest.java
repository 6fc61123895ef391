package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.core.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("state.json");
  }

  private Optional<Checkpoint> saveThenLoadInNewStore(Checkpoint checkpoint) {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      store.save(checkpoint);
    }
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      return store.load();
    }
  }

  @Test
  void loadsNothingWhenFileDoesNotExist() {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      assertThat(store.load()).isEmpty();
    }
    assertThat(file()).doesNotExist();
  }

  @Test
  void roundTripsEmptyCheckpoint() {
    assertThat(saveThenLoadInNewStore(Checkpoint.EMPTY)).contains(Checkpoint.EMPTY);
  }

  @Test
  void roundTripsSmallCheckpoint() {
    Checkpoint small = TestCheckpoints.small();
    Optional<Checkpoint> loaded = saveThenLoadInNewStore(small);
    assertThat(loaded).contains(small);
    assertThat(loaded.orElseThrow().groups().keySet())
        .containsExactly(TestCheckpoints.GROUP_1, TestCheckpoints.GROUP_2);
  }

  @Test
  void roundTripsHundredThousandEntityCheckpoint() {
    Checkpoint large = TestCheckpoints.large(100_000);
    Optional<Checkpoint> loaded = saveThenLoadInNewStore(large);
    assertThat(loaded).contains(large);
    assertThat(loaded.orElseThrow().entityCount()).isEqualTo(100_000);
  }

  @Test
  void createsMissingParentDirectories() {
    Path nested = dir.resolve("a/b/state.json");
    try (AtomicFileStateStore store = AtomicFileStateStore.open(nested)) {
      store.save(TestCheckpoints.small());
    }
    assertThat(nested).isRegularFile();
  }

  @Test
  void writesNothingWhenCheckpointEqualsLastSaved() throws Exception {
    FaultInjectingFileOps ops = new FaultInjectingFileOps();
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file(), ops, Clock.systemUTC())) {
      store.save(TestCheckpoints.small());
      FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
      Files.setLastModifiedTime(file(), old);
      Object inode = Files.readAttributes(file(), "unix:ino").get("ino");

      store.save(TestCheckpoints.small());

      assertThat(ops.createdFiles()).isEqualTo(1);
      assertThat(Files.getLastModifiedTime(file())).isEqualTo(old);
      assertThat(Files.readAttributes(file(), "unix:ino").get("ino")).isEqualTo(inode);
    }
  }

  @Test
  void writesNothingWhenCheckpointEqualsLastLoaded() {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      store.save(TestCheckpoints.small());
    }
    FaultInjectingFileOps ops = new FaultInjectingFileOps();
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file(), ops, Clock.systemUTC())) {
      Checkpoint loaded = store.load().orElseThrow();
      store.save(loaded);
      assertThat(ops.createdFiles()).isZero();
    }
  }

  @Test
  void writesWhenCheckpointChanged() {
    FaultInjectingFileOps ops = new FaultInjectingFileOps();
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file(), ops, Clock.systemUTC())) {
      store.save(TestCheckpoints.small());
      Checkpoint changed = TestCheckpoints.small().withoutGroup(TestCheckpoints.GROUP_2);
      store.save(changed);
      assertThat(ops.createdFiles()).isEqualTo(2);
      assertThat(store.load()).contains(changed);
    }
  }

  @Test
  void savesReadablePrettyPrintedJsonWithFormatVersionAndChecksum() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07.089Z"), ZoneOffset.UTC);
    try (AtomicFileStateStore store =
        AtomicFileStateStore.open(file(), new FaultInjectingFileOps(), clock)) {
      store.save(TestCheckpoints.small());
    }
    String text = Files.readString(file());
    assertThat(text)
        .startsWith("{\n  \"format\": \"satellite-checkpoint\",\n  \"version\": 3,\n")
        .contains("\n  \"savedAt\": \"2026-03-04T05:06:07.089Z\",\n")
        .contains("\n  \"configDigest\": \"" + TestCheckpoints.digest("config") + "\",\n")
        .contains("\n      \"ref\": \"" + TestCheckpoints.GROUP_1 + "\",\n")
        .contains("\n          \"repository\": \"library/nginx\",\n")
        .containsPattern("\n  \"sha256\": \"[0-9a-f]{64}\"\n}$")
        .doesNotEndWith("\n");
  }

  @Test
  void aFileReformattedWithoutChangingAnyValueIsRefusedAsChanged() throws Exception {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      store.save(TestCheckpoints.small());
    }
    ObjectMapper mapper = new ObjectMapper();
    Files.writeString(file(), mapper.writeValueAsString(mapper.readTree(file().toFile())));
    assertThat(Files.readString(file())).doesNotContain("\n");

    try (CapturedWarnings warnings = new CapturedWarnings();
        AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      assertThat(store.load()).isEmpty();
      assertThat(warnings.messages()).singleElement().asString().contains("checksum mismatch");
    }
  }
}
