package dev.satellite.agent.runtime;

import dev.satellite.agent.runtime.internal.UnifiedDiff;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration file whose content the mirror configuration changes (or, in a dry run, would
 * change).
 *
 * @param path the file, under the runtime root
 * @param runtimes the runtimes that read it
 * @param before its content before, empty when the file did not exist
 * @param after its content after
 *     <p>Registry passwords and tokens in the file (k3s's and RKE2's {@code configs.*.auth}) are
 *     shown as {@code <redacted>} in both, and so in the {@link #unifiedDiff()}.
 */
public record FileChange(
    Path path, List<ContainerRuntime> runtimes, Optional<String> before, String after) {
  public FileChange {
    Objects.requireNonNull(path, "path");
    runtimes = List.copyOf(runtimes);
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }

  /** True when the file did not exist before. */
  public boolean created() {
    return before.isEmpty();
  }

  /**
   * The change as a unified diff ({@code diff -u} format, three lines of context), headed
   * {@code --- PATH} / {@code +++ PATH}, or {@code --- /dev/null} for a new file.
   */
  public String unifiedDiff() {
    return UnifiedDiff.between(path.toString(), before.orElse(null), after);
  }
}
