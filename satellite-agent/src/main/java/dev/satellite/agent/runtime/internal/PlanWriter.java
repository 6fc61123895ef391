package dev.satellite.agent.runtime.internal;

import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.FileChange;
import dev.satellite.agent.runtime.FileFailure;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.agent.runtime.RuntimeMirrorException;
import dev.satellite.persistence.internal.FileOps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out a {@link MirrorPlan}: files whose content is unchanged are not touched, the others
 * are written one by one with {@link ConfigFileWriter} (a failure is reported and the next file
 * written), and the reload command of each runtime whose file changed is listed, in runtime order.
 * containerd needs a restart only when {@code config.toml} changed: it reads {@code hosts.toml} on
 * every pull.
 */
public final class PlanWriter {
  private PlanWriter() {}

  /**
   * Writes each changed file of {@code plan} (unless {@code dryRun}) and reports what changed,
   * what failed and which reload commands the changes need.
   */
  public static MirrorReport carryOut(MirrorPlan plan, boolean dryRun, FileOps fileOps) {
    List<FileChange> changes = new ArrayList<>();
    List<Path> unchanged = new ArrayList<>();
    List<FileFailure> failures = new ArrayList<>(plan.failures());
    List<String> notes = new ArrayList<>(plan.notes());
    Set<ContainerRuntime> toReload = new LinkedHashSet<>();
    boolean containerdRestart = false;
    ConfigFileWriter writer = new ConfigFileWriter(fileOps);
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
      changes.add(new FileChange(file.path(), file.runtimes(),
          Optional.ofNullable(file.before()).map(file.secrets()::show),
          file.secrets().show(file.after())));
      toReload.addAll(file.runtimes());
      containerdRestart |= file.needsRestart();
    }
    List<String> reload = new ArrayList<>();
    for (ContainerRuntime runtime : ContainerRuntime.values()) {
      if (!toReload.contains(runtime) || runtime.reloadCommand().isEmpty()) {
        continue;
      }
      if (runtime == ContainerRuntime.CONTAINERD && !containerdRestart) {
        notes.add("containerd reads certs.d/*/hosts.toml on every pull: no restart needed");
        continue;
      }
      reload.add(runtime.reloadCommand().get());
    }
    return new MirrorReport(dryRun, changes, unchanged, failures, notes,
        dryRun ? List.of() : reload);
  }
}
