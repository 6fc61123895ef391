package dev.satellite.agent.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * What one {@link RuntimeMirrors#apply()} did (or, in a dry run, would do).
 *
 * @param dryRun true when nothing was written
 * @param changes files changed (or that would change), in the order they were handled
 * @param unchanged files that already held the mirror configuration and were not touched
 * @param failures files that could not be changed, each left untouched or restored
 * @param notes what an operator should know that is not a failure (a registry a runtime cannot
 *     mirror, a more specific entry that bypasses the mirror, ...)
 * @param reloadCommands the commands that make the running runtimes use the changes, in runtime
 *     order; run only with {@link RuntimeMirrors.Builder#reloadRuntimes}; empty in a dry run
 * @param reloads the reloads run, in runtime order (empty unless {@link
 *     RuntimeMirrors.Builder#reloadRuntimes}); a failed one has moved its runtime's files from
 *     {@code changes} to {@code failures}
 */
public record MirrorReport(
    boolean dryRun,
    List<FileChange> changes,
    List<Path> unchanged,
    List<FileFailure> failures,
    List<String> notes,
    List<String> reloadCommands,
    List<RuntimeReload> reloads) {
  public MirrorReport {
    changes = List.copyOf(changes);
    unchanged = List.copyOf(unchanged);
    failures = List.copyOf(failures);
    notes = List.copyOf(notes);
    reloadCommands = List.copyOf(reloadCommands);
    reloads = List.copyOf(reloads);
  }

  /**
   * True when every file holds (or in a dry run could be given) the mirror configuration and
   * every reload run succeeded.
   */
  public boolean ok() {
    return failures.isEmpty() && reloads.stream().allMatch(RuntimeReload::succeeded);
  }
}
