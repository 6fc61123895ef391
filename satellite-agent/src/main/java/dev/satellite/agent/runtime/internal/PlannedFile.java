package dev.satellite.agent.runtime.internal;

import dev.satellite.agent.runtime.ContainerRuntime;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One configuration file's new content, worked out before anything is written.
 *
 * @param path the file, under the runtime root
 * @param runtimes the runtimes that read it
 * @param before its bytes when it was read, null when it did not exist
 * @param after the bytes to write
 * @param check proves that bytes read back from the file are what was meant (parse them, compare
 *     the tree with the merged one)
 * @param needsRestart true when the runtime reads the file only at start-up
 */
public record PlannedFile(
    Path path,
    List<ContainerRuntime> runtimes,
    byte[] before,
    byte[] after,
    ContentCheck check,
    boolean needsRestart) {

  /** Checks bytes read back from the written file. */
  @FunctionalInterface
  public interface ContentCheck {
    /**
     * @throws dev.satellite.agent.runtime.RuntimeMirrorException naming what does not hold
     */
    void verify(byte[] written);
  }

  public PlannedFile {
    runtimes = List.copyOf(runtimes);
  }

  /** True when the new content equals the old byte for byte: nothing to write. */
  public boolean unchanged() {
    return before != null && Arrays.equals(before, after);
  }
}
