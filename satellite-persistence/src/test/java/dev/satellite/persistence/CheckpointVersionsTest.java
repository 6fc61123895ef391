package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of the older format versions, as the earlier releases wrote them (kept as test resources):
 * version 1 (no referrers marks) and version 2 (marks), both checksummed over their values. A
 * satellite upgraded in place loads them, verified as they were written, and writes version 3
 * (checksum over the bytes) from its next save on.
 */
class CheckpointVersionsTest {
  private static final String DIGEST_1 = "sha256:" + "ab".repeat(32);
  private static final String DIGEST_2 = "sha256:" + "ef".repeat(32);
  /** What checkpoint-version-2.json holds. */
  private static final Checkpoint VERSION_2 =
      new Checkpoint(
          Optional.of("sha256:" + "12".repeat(32)),
          Map.of("g1", List.of(
              new Entity("proj/app", "v1", DIGEST_1), new Entity("proj/app", "v2", DIGEST_2))),
          Map.of("proj/app@" + DIGEST_1, "sha256:" + "cd".repeat(32) + " " + DIGEST_1));

  @TempDir Path dir;
  private CapturedWarnings warnings;

  @BeforeEach
  void captureWarnings() {
    warnings = new CapturedWarnings();
  }

  @AfterEach
  void stopCapturing() {
    warnings.close();
  }

  private Path file() {
    return dir.resolve("state.json");
  }

  private String resource(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Optional<Checkpoint> load() {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      return store.load();
    }
  }

  /** The file is now version 3, a new store loads {@code saved} from it, nothing was refused. */
  private void assertSavedAsVersion3(Checkpoint saved) throws IOException {
    assertThat(Files.readString(file())).contains("\"version\": 3,");
    assertThat(load()).contains(saved);
    assertThat(warnings.messages()).isEmpty();
  }

  @Test
  void aFileOfVersion1LoadsWithoutMarksAndTheNextSaveWritesVersion3() throws IOException {
    Files.writeString(file(), resource("checkpoint-version-1.json"));
    assertThat(Files.readString(file())).contains("\"version\": 1,");

    Checkpoint changed;
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      Checkpoint loaded = store.load().orElseThrow();
      assertThat(loaded.groups())
          .containsExactlyEntriesOf(Map.of("g1", List.of(new Entity("proj/app", "v1", DIGEST_1))));
      assertThat(loaded.referrers()).isEmpty();
      changed = loaded.withGroup("g2", List.of());
      store.save(changed);
    }

    assertSavedAsVersion3(changed);
  }

  @Test
  void aFileOfVersion2LoadsWithItsMarksAndTheNextSaveWritesVersion3() throws IOException {
    Files.writeString(file(), resource("checkpoint-version-2.json"));
    assertThat(Files.readString(file())).contains("\"version\": 2,");

    Checkpoint changed = VERSION_2.withConfigDigest(Optional.empty());
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      assertThat(store.load()).contains(VERSION_2);
      store.save(VERSION_2);
      assertThat(Files.readString(file())).as("not rewritten").contains("\"version\": 2,");
      store.save(changed);
    }

    assertSavedAsVersion3(changed);
  }

  @Test
  void aFileOfVersion2IsStillVerifiedOverItsValuesNotItsLayout() throws IOException {
    String compact = resource("checkpoint-version-2.json").replaceAll("\n\\s*", "");
    assertThat(compact).doesNotContain("\n").contains("{\"format\"");
    Files.writeString(file(), compact);

    assertThat(load()).contains(VERSION_2);
    assertThat(warnings.messages()).isEmpty();
  }

  @Test
  void aFileOfVersion2WithAChangedValueIsAChecksumMismatch() throws IOException {
    String text = resource("checkpoint-version-2.json");
    String changed = text.replace("\"tag\": \"v2\"", "\"tag\": \"v3\"");
    assertThat(changed).isNotEqualTo(text);
    Files.writeString(file(), changed);

    assertThat(load()).isEmpty();
    assertThat(warnings.messages())
        .singleElement()
        .asString()
        .contains(file().toString())
        .contains("checksum mismatch")
        .contains("its values hash to");
  }
}
