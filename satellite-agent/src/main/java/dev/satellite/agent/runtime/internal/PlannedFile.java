package dev.satellite.agent.runtime.internal;

import dev.satellite.agent.runtime.ContainerRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
 * @param secrets how the content is shown without the secrets it holds ({@link Secrets#NONE} for a
 *     file without any); a file holding secrets is readable by its owner only
 */
public record PlannedFile(
    Path path,
    List<ContainerRuntime> runtimes,
    byte[] before,
    byte[] after,
    ContentCheck check,
    boolean needsRestart,
    Secrets secrets) {

  /** Checks bytes read back from the written file. */
  @FunctionalInterface
  public interface ContentCheck {
    /**
     * @throws dev.satellite.agent.runtime.RuntimeMirrorException naming what does not hold
     */
    void verify(byte[] written);
  }

  /** Shows a file's content with the secrets it holds (registry passwords) masked. */
  @FunctionalInterface
  public interface Secrets {
    /** For files without secrets: the content as UTF-8 text. */
    Secrets NONE = content -> new String(content, StandardCharsets.UTF_8);

    /** The content as text, each secret replaced by {@code <redacted>}. */
    String show(byte[] content);
  }

  public PlannedFile {
    runtimes = List.copyOf(runtimes);
    Objects.requireNonNull(secrets, "secrets");
  }

  /** A file without secrets. */
  public PlannedFile(Path path, List<ContainerRuntime> runtimes, byte[] before, byte[] after,
      ContentCheck check, boolean needsRestart) {
    this(path, runtimes, before, after, check, needsRestart, Secrets.NONE);
  }

  /** True when the content holds secrets: shown masked, readable by the owner only. */
  public boolean holdsSecrets() {
    return secrets != Secrets.NONE;
  }

  /** True when the new content equals the old byte for byte: nothing to write. */
  public boolean unchanged() {
    return before != null && Arrays.equals(before, after);
  }
}
