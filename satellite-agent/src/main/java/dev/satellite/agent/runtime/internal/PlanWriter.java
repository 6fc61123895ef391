package dev.satellite.agent.runtime.internal;

import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.FileChange;
import dev.satellite.agent.runtime.FileFailure;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.agent.runtime.RuntimeMirrorException;
import dev.satellite.agent.runtime.RuntimeReload;
import dev.satellite.persistence.files.FileOps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out a {@link MirrorPlan}: files whose content is unchanged are not touched, the others
 * are written one by one with {@link ConfigFileWriter} (a failure is reported and the next file
 * written), and each runtime whose files changed is listed with its reload command, in runtime
 * order. containerd needs a restart only when {@code config.toml} changed: it reads {@code
 * hosts.toml} on every pull.
 *
 * <p>With a {@link RuntimeReloader}, the commands are also run, one runtime at a time: a failing
 * one has that runtime's changed files put back ({@link ConfigFileWriter#restorePrevious}), which
 * moves them from the report's changes to its failures, and is run again so the runtime takes the
 * files it ran with before.
 */
public final class PlanWriter {
  private final ConfigFileWriter writer;
  private final Map<ContainerRuntime, List<String>> reloadCommands;
  private final Optional<CommandRunner> runner;

  /**
   * @param reloadCommands each runtime's reload command, one argument per element; runtimes
   *     without one are never reloaded
   * @param runner runs the reload commands; empty: they are only reported
   */
  public PlanWriter(FileOps fileOps, Map<ContainerRuntime, List<String>> reloadCommands,
      Optional<CommandRunner> runner) {
    this.writer = new ConfigFileWriter(fileOps);
    this.reloadCommands = Map.copyOf(reloadCommands);
    this.runner = runner;
  }

  /** Writes each changed file of {@code plan} (unless {@code dryRun}) and reports it. */
  public MirrorReport carryOut(MirrorPlan plan, boolean dryRun) {
    Map<PlannedFile, FileChange> written = new LinkedHashMap<>();
    List<Path> unchanged = new ArrayList<>();
    List<FileFailure> failures = new ArrayList<>(plan.failures());
    List<String> notes = new ArrayList<>(plan.notes());
    for (PlannedFile file : plan.files()) {
      if (file.unchanged()) {
        unchanged.add(file.path());
        continue;
      }
      if (!dryRun) {
        try {
          writer.write(file);
        } catch (RuntimeMirrorException e) {
          failures.add(new FileFailure(file.path(), e.getMessage()));
          continue;
        }
      }
      written.put(file, new FileChange(file.path(), file.runtimes(),
          Optional.ofNullable(file.before()).map(file.secrets()::show),
          file.secrets().show(file.after())));
    }
    Map<ContainerRuntime, List<String>> toReload = toReload(written.keySet(), notes);
    List<RuntimeReload> reloads = new ArrayList<>();
    if (!dryRun && runner.isPresent()) {
      toReload.forEach((runtime, command) ->
          reloads.add(reload(runtime, command, written, failures)));
    }
    return new MirrorReport(dryRun, List.copyOf(written.values()), unchanged, failures, notes,
        dryRun ? List.of() : toReload.values().stream().map(c -> String.join(" ", c)).toList(),
        reloads);
  }

  private Map<ContainerRuntime, List<String>> toReload(Iterable<PlannedFile> written,
      List<String> notes) {
    Map<ContainerRuntime, Boolean> changed = new EnumMap<>(ContainerRuntime.class);
    for (PlannedFile file : written) {
      for (ContainerRuntime runtime : file.runtimes()) {
        changed.merge(runtime, file.needsRestart(), Boolean::logicalOr);
      }
    }
    Map<ContainerRuntime, List<String>> reload = new EnumMap<>(ContainerRuntime.class);
    changed.forEach((runtime, restart) -> {
      if (!reloadCommands.containsKey(runtime)) {
        return;
      }
      if (runtime == ContainerRuntime.CONTAINERD && !restart) {
        notes.add("containerd reads certs.d/*/hosts.toml on every pull: no restart needed");
        return;
      }
      reload.put(runtime, reloadCommands.get(runtime));
    });
    return reload;
  }

  private RuntimeReload reload(ContainerRuntime runtime, List<String> command,
      Map<PlannedFile, FileChange> written, List<FileFailure> failures) {
    CommandRunner.Result first = runner.get().run(command);
    if (first.succeeded()) {
      return new RuntimeReload(runtime, command, Optional.empty(), false);
    }
    String failed = "`" + String.join(" ", command) + "` failed ("
        + first.describe(runner.get().timeout()) + ")";
    List<String> restored = new ArrayList<>();
    List<String> notRestored = new ArrayList<>();
    for (PlannedFile file : List.copyOf(written.keySet())) {
      if (!file.runtimes().contains(runtime)) {
        continue;
      }
      written.remove(file);
      try {
        writer.restorePrevious(file);
        restored.add(file.path().toString());
        failures.add(new FileFailure(file.path(), file.path() + ": " + failed
            + "; its previous version was put back"));
      } catch (RuntimeMirrorException e) {
        notRestored.add(e.getMessage());
        failures.add(new FileFailure(file.path(), failed + "; " + e.getMessage()));
      }
    }
    CommandRunner.Result again = runner.get().run(command);
    String outcome = failed + "; restored " + (restored.isEmpty() ? "nothing"
        : String.join(", ", restored)) + (notRestored.isEmpty() ? ""
        : "; not restored: " + String.join("; ", notRestored))
        + (again.succeeded() ? "; the reload after the restore succeeded"
        : "; the reload after the restore failed too ("
            + again.describe(runner.get().timeout()) + ")");
    return new RuntimeReload(runtime, command, Optional.of(outcome), !restored.isEmpty());
  }
}
