package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.StateStoreException;
import dev.satellite.persistence.FaultInjectingFileOps.Step;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SaveFailureTest {
  private static final Checkpoint OLD = TestCheckpoints.small();
  private static final Checkpoint NEW = TestCheckpoints.large(2_000);

  @TempDir Path dir;
  private Path file;
  private FaultInjectingFileOps ops;
  private AtomicFileStateStore store;

  @BeforeEach
  void saveOldCheckpoint() {
    file = dir.resolve("state.json");
    ops = new FaultInjectingFileOps();
    store = AtomicFileStateStore.open(file, ops, Clock.systemUTC());
    store.save(OLD);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private List<String> directoryListing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Checkpoint loadedByNewStore() {
    store.close();
    store = AtomicFileStateStore.open(file, ops, Clock.systemUTC());
    return store.load().orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(names = {"CREATE", "WRITE", "FORCE", "MOVE"})
  void failedSaveKeepsPreviousCheckpointAndLeavesNoTempFile(Step step) throws IOException {
    ops.failAt(step, () -> new IOException("No space left on device"));

    assertThatThrownBy(() -> store.save(NEW))
        .isInstanceOf(StateStoreException.class)
        .hasMessageStartingWith("save " + file + ": ")
        .hasMessageContaining("No space left on device");

    assertThat(directoryListing()).containsExactly("state.json", "state.json.lock");
    ops.heal();
    assertThat(loadedByNewStore()).isEqualTo(OLD);
  }

  @Test
  void failedWriteLeavesPartialTempFileNowhere() {
    ops.failAt(Step.WRITE, () -> new IOException("No space left on device"));
    assertThatThrownBy(() -> store.save(NEW))
        .hasMessageContaining("write and fsync temp file " + dir.resolve("state.json.tmp-"));
    assertThat(dir.toFile().list()).noneMatch(name -> name.contains(".tmp-"));
  }

  @Test
  void saveIsRetriedAfterFailureInsteadOfSkippedAsUnchanged() {
    ops.failAt(Step.MOVE, () -> new IOException("Input/output error"));
    assertThatThrownBy(() -> store.save(NEW)).isInstanceOf(StateStoreException.class);
    ops.heal();

    store.save(NEW);

    assertThat(loadedByNewStore()).isEqualTo(NEW);
  }

  @Test
  void missingAtomicRenameIsRefusedNotWorkedAround() throws IOException {
    ops.failAt(
        Step.MOVE, () -> new AtomicMoveNotSupportedException("a", "b", "not supported here"));

    assertThatThrownBy(() -> store.save(NEW))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("cannot rename atomically");

    ops.heal();
    assertThat(loadedByNewStore()).isEqualTo(OLD);
    assertThat(directoryListing()).containsExactly("state.json", "state.json.lock");
  }

  @Test
  void failedDirectorySyncIsReportedAndNotSkippedOnRetry() {
    ops.failAt(Step.SYNC_DIRECTORY, () -> new IOException("Input/output error"));

    assertThatThrownBy(() -> store.save(NEW))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("fsync directory " + dir)
        .hasMessageContaining("may not survive a power loss");

    ops.heal();
    int before = ops.createdFiles();
    store.save(NEW);
    assertThat(ops.createdFiles()).isEqualTo(before + 1);
  }

  @Test
  void saveIntoReadOnlyDirectoryFailsAndKeepsPreviousCheckpoint() throws Exception {
    try (ReadOnlyDirectory readOnly = ReadOnlyDirectory.make(dir)) {
      assertThatThrownBy(() -> store.save(NEW))
          .isInstanceOf(StateStoreException.class)
          .hasMessageContaining("save " + file + ": create temp file");
    }
    assertThat(loadedByNewStore()).isEqualTo(OLD);
    assertThat(directoryListing()).containsExactly("state.json", "state.json.lock");
  }

  /**
   * A directory in which no file can be created: by permission bits, or, where those do not apply
   * (running as root), by the immutable attribute ({@code chattr +i}, ext4 and others). The test
   * is skipped where neither works.
   */
  private static final class ReadOnlyDirectory implements AutoCloseable {
    private final Path dir;
    private final boolean immutable;

    private ReadOnlyDirectory(Path dir, boolean immutable) {
      this.dir = dir;
      this.immutable = immutable;
    }

    static ReadOnlyDirectory make(Path dir) throws Exception {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
      if (!canCreateFileIn(dir)) {
        return new ReadOnlyDirectory(dir, false);
      }
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      boolean immutable = chattr("+i", dir) && !canCreateFileIn(dir);
      if (!immutable) {
        chattr("-i", dir);
      }
      assumeTrue(immutable, "cannot make a directory read-only here (root without chattr +i)");
      return new ReadOnlyDirectory(dir, true);
    }

    @Override
    public void close() throws Exception {
      if (immutable) {
        assertThat(chattr("-i", dir)).isTrue();
      } else {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
    }

    private static boolean canCreateFileIn(Path dir) {
      Path probe = dir.resolve("probe");
      try {
        Files.createFile(probe);
        Files.delete(probe);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    private static boolean chattr(String change, Path dir) throws InterruptedException {
      try {
        Process process =
            new ProcessBuilder("chattr", change, dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return process.waitFor() == 0;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
