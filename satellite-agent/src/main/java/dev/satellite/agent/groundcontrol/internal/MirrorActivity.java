package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.FileChange;
import dev.satellite.agent.runtime.FileFailure;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.agent.runtime.RuntimeReload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The heartbeat {@code activity} that tells Ground Control how pointing the node's container
 * runtimes at the edge went, in the Go satellite's format ({@code formatCRIActivity}): {@code
 * cri_fallback_configured: containerd(ok), docker(err:<why>)}, one entry per runtime whose files
 * changed or whose reload ran, then one per file that could not be changed ({@code
 * <path>(err:<why>)}: a file failure names no runtime). A runtime whose reload failed is {@code
 * err} with the reload's failure.
 */
public final class MirrorActivity {
  static final String PREFIX = "cri_fallback_configured: ";

  private MirrorActivity() {}

  /** The activity for {@code reports}; empty when they changed, reloaded and failed nothing. */
  public static Optional<String> of(List<MirrorReport> reports) {
    Map<String, String> outcomes = new LinkedHashMap<>();
    List<String> fileFailures = new ArrayList<>();
    for (MirrorReport report : reports) {
      for (FileChange change : report.changes()) {
        for (ContainerRuntime runtime : change.runtimes()) {
          outcomes.putIfAbsent(runtime.id(), "ok");
        }
      }
      for (RuntimeReload reload : report.reloads()) {
        outcomes.put(reload.runtime().id(), reload.failure().map(MirrorActivity::err).orElse(
            outcomes.getOrDefault(reload.runtime().id(), "ok")));
      }
      for (FileFailure failure : report.failures()) {
        fileFailures.add(failure.path() + "(" + err(failure.reason()) + ")");
      }
    }
    List<String> entries = new ArrayList<>();
    outcomes.forEach((runtime, outcome) -> entries.add(runtime + "(" + outcome + ")"));
    entries.addAll(fileFailures);
    return entries.isEmpty() ? Optional.empty()
        : Optional.of(PREFIX + String.join(", ", entries));
  }

  private static String err(String why) {
    return "err:" + why.replaceAll("\\s*\\R\\s*", " ");
  }
}
