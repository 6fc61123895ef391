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
 *     order, never run by this library; empty in a dry run
 */
public record MirrorReport(
    boolean dryRun,
    List<FileChange> changes,
    List<Path> unchanged,
    List<FileFailure> failures,
    List<String> notes,
    List<String> reloadCommands) {
  public MirrorReport {
    changes = List.copyOf(changes);
    unchanged = List.copyOf(unchanged);
    failures = List.copyOf(failures);
    notes = List.copyOf(notes);
    reloadCommands = List.copyOf(reloadCommands);
  }

  /** True when every file holds (or in a dry run could be given) the mirror configuration. */
  public boolean ok() {
    return failures.isEmpty();
  }
}
