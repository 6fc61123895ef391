package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.StateStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockTest {
  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @TempDir Path outputs;

  private Path file() {
    return dir.resolve("state.json");
  }

  private Path childOutput() throws IOException {
    return Files.createTempFile(outputs, "child", ".out");
  }

  @Test
  void secondStoreInSameProcessFailsFast() {
    try (AtomicFileStateStore first = AtomicFileStateStore.open(file())) {
      assertThatThrownBy(() -> AtomicFileStateStore.open(file()))
          .isInstanceOf(StateStoreException.class)
          .hasMessage("checkpoint " + file() + " is in use by another store in this process"
              + " (lock file " + file() + ".lock is held); close the other store first");
    }
  }

  @Test
  void sameFileReachedThroughSymlinkedDirectoryIsStillLocked() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir);
    try (AtomicFileStateStore first = AtomicFileStateStore.open(file())) {
      assertThatThrownBy(() -> AtomicFileStateStore.open(link.resolve("state.json")))
          .hasMessageContaining("is in use by another store in this process");
    }
  }

  @Test
  void storeInAnotherProcessFailsFast() throws Exception {
    try (ChildJvm child = ChildJvm.start(childOutput(), "hold-lock", file().toString())) {
      assertThat(child.nextLine(CHILD_TIMEOUT)).isEqualTo("locked");

      assertThatThrownBy(() -> AtomicFileStateStore.open(file()))
          .isInstanceOf(StateStoreException.class)
          .hasMessageStartingWith("checkpoint " + file() + " is in use by another process");
    }
  }

  @Test
  void otherProcessFailsFastWhileThisProcessHoldsTheStore() throws Exception {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file());
        ChildJvm child = ChildJvm.start(childOutput(), "hold-lock", file().toString())) {
      assertThat(child.nextLine(CHILD_TIMEOUT))
          .startsWith("refused checkpoint " + file() + " is in use by another process");
    }
  }

  @Test
  void failedSecondOpenInThisProcessDoesNotReleaseTheLock() throws Exception {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      assertThatThrownBy(() -> AtomicFileStateStore.open(file()))
          .isInstanceOf(StateStoreException.class);

      try (ChildJvm child = ChildJvm.start(childOutput(), "hold-lock", file().toString())) {
        assertThat(child.nextLine(CHILD_TIMEOUT)).startsWith("refused ");
      }
    }
  }

  @Test
  void openSucceedsAfterTheStoreIsClosed() {
    AtomicFileStateStore.open(file()).close();
    try (AtomicFileStateStore again = AtomicFileStateStore.open(file())) {
      again.save(TestCheckpoints.small());
    }
  }

  @Test
  void openSucceedsAfterTheOtherProcessReleasedTheLock() throws Exception {
    try (ChildJvm child = ChildJvm.start(childOutput(), "hold-lock", file().toString())) {
      assertThat(child.nextLine(CHILD_TIMEOUT)).isEqualTo("locked");
      assertThat(child.closeStdinAndWait(CHILD_TIMEOUT)).isZero();
    }
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file())) {
      store.save(TestCheckpoints.small());
    }
  }

  @Test
  void closedStoreRefusesLoadAndSave() {
    AtomicFileStateStore store = AtomicFileStateStore.open(file());
    store.close();
    store.close();
    assertThatThrownBy(store::load).hasMessage("checkpoint store " + file() + " is closed");
    assertThatThrownBy(() -> store.save(TestCheckpoints.small()))
        .hasMessage("checkpoint store " + file() + " is closed");
  }
}
