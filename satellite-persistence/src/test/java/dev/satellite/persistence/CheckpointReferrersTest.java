package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint records each image's referrers mark (since format version 2; {@link
 * CheckpointVersionsTest} reads the older files).
 */
class CheckpointReferrersTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String MARK = "sha256:" + "cd".repeat(32) + " " + DIGEST;

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("state.json");
  }

  private static Checkpoint withMark() {
    return new Checkpoint(Optional.empty(),
        Map.of("g1", List.of(new Entity("proj/app", "v1", DIGEST))),
        Map.of("proj/app@" + DIGEST, MARK));
  }

  @Test
  void referrersMarksRoundTrip() throws IOException {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      store.save(withMark());
    }
    assertThat(Files.readString(file()))
        .contains("\"referrers\": [")
        .contains("\"image\": \"proj/app@" + DIGEST + "\"")
        .contains("\"mark\": \"" + MARK + "\"");
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      assertThat(store.load()).contains(withMark());
    }
  }

  @Test
  void aChangedMarkFailsTheChecksumAndTheFileIsKeptAside() throws IOException {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      store.save(withMark());
    }
    String text = Files.readString(file());
    Files.writeString(file(), text.replace("\"mark\": \"sha256:cd", "\"mark\": \"sha256:ce"),
        StandardCharsets.UTF_8);

    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      assertThat(store.load()).isEmpty();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("state.json.corrupt-"));
    }
  }
}
