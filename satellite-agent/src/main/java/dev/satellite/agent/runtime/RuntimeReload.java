package dev.satellite.agent.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A reload that {@link RuntimeMirrors} ran because a runtime's files changed (only with {@link
 * RuntimeMirrors.Builder#reloadRuntimes}). When the command fails (a non-zero exit status, or no
 * exit within the timeout), that runtime's changed files are put back to their previous versions
 * and the command is run once more, so the runtime runs with files it accepted before.
 *
 * @param runtime the runtime reloaded
 * @param command the command run, one argument per element
 * @param failure empty when the command exited 0; otherwise what failed (exit status and the end
 *     of its output), which files were restored, and how the reload after the restore went
 * @param rolledBack true when the runtime's changed files were put back after a failure
 */
public record RuntimeReload(ContainerRuntime runtime, List<String> command,
    Optional<String> failure, boolean rolledBack) {
  public RuntimeReload {
    Objects.requireNonNull(runtime, "runtime");
    command = List.copyOf(command);
    Objects.requireNonNull(failure, "failure");
  }

  /** True when the command exited 0 the first time. */
  public boolean succeeded() {
    return failure.isEmpty();
  }
}
