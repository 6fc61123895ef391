package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleTempFileTest {
  @TempDir Path dir;

  @Test
  void removesTempFilesLeftByInterruptedSaveOnOpen() throws IOException {
    Path file = dir.resolve("state.json");
    List<Path> stale =
        List.of(dir.resolve("state.json.tmp-0123456789abcdef"),
            dir.resolve("state.json.tmp-fedcba9876543210"));
    for (Path path : stale) {
      Files.writeString(path, "{\"format\": \"satellite-che");
    }

    AtomicFileStateStore.open(file).close();

    assertThat(stale).allSatisfy(path -> assertThat(path).doesNotExist());
  }

  @Test
  void leavesUnrelatedFilesAloneOnOpen() throws IOException {
    List<String> unrelated =
        List.of(
            "state.json.tmp-0123",
            "state.json.tmp-0123456789ABCDEF",
            "state.json.tmp-0123456789abcdef.bak",
            "other.json.tmp-0123456789abcdef",
            "xstate.json.tmp-0123456789abcdef",
            "state.json.corrupt-20260101T000000.000Z",
            "state.json.bak",
            "notes.txt");
    for (String name : unrelated) {
      Files.writeString(dir.resolve(name), name);
    }

    AtomicFileStateStore.open(dir.resolve("state.json")).close();

    for (String name : unrelated) {
      assertThat(dir.resolve(name)).hasContent(name);
    }
  }
}
