package dev.satellite.agent.runtime.internal;

import dev.satellite.agent.runtime.FileFailure;
import dev.satellite.agent.runtime.RuntimeMirrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What the runtimes' handlers worked out before anything is written: each file's new content, the
 * files that cannot be changed, and notes for the operator.
 */
public final class MirrorPlan {
  private final List<PlannedFile> files = new ArrayList<>();
  private final List<FileFailure> failures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public void add(PlannedFile file) {
    files.add(file);
  }

  public void fail(Path path, String reason) {
    failures.add(new FileFailure(path, reason));
  }

  public void note(String note) {
    notes.add(note);
  }

  public List<PlannedFile> files() {
    return List.copyOf(files);
  }

  public List<FileFailure> failures() {
    return List.copyOf(failures);
  }

  public List<String> notes() {
    return List.copyOf(notes);
  }

  /**
   * The file's bytes, or null when it does not exist.
   *
   * @throws RuntimeMirrorException naming the file when it exists but cannot be read
   */
  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new RuntimeMirrorException(file + ": cannot be read: " + e, e);
    }
  }

  /**
   * Proves that a merge changed nothing but our entries: with our entries taken out of both, the
   * merged tree equals the baseline (the file as it was, plus only the defaults the merge means
   * to add).
   *
   * @throws RuntimeMirrorException naming the file, which is then left untouched
   */
  static <T> void requireOnlyOursChanged(Path file, T baseline, T merged, UnaryOperator<T> strip) {
    if (!Objects.equals(strip.apply(baseline), strip.apply(merged))) {
      throw new RuntimeMirrorException(file + ": the merge would change settings other than the"
          + " edge mirror's");
    }
  }
}
