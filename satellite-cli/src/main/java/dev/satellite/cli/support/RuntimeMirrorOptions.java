package dev.satellite.cli.support;

import dev.satellite.agent.runtime.RuntimeMirrors;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The agent's runtime mirror settings: {@code --mirrors} values applied once at start, the
 * {@code --runtime-root}, and whether the config state's {@code registry_fallback} is followed.
 *
 * @param mirrors {@code --mirrors} values ({@code <runtime>:<registry>[,...]} or {@code auto})
 * @param runtimeRoot the directory runtime paths are taken under
 * @param followConfigState apply the config state's {@code registry_fallback} (the agent does)
 * @param reload run the reload commands, with rollback ({@code --reload-runtimes})
 */
public record RuntimeMirrorOptions(
    List<String> mirrors, Path runtimeRoot, boolean followConfigState, boolean reload) {
  /** No runtime configuration at all (SyncCommand). */
  public static final RuntimeMirrorOptions NONE =
      new RuntimeMirrorOptions(List.of(), Path.of("/"), false, false);

  /** The settings without reloads. */
  public RuntimeMirrorOptions(List<String> mirrors, Path runtimeRoot, boolean followConfigState) {
    this(mirrors, runtimeRoot, followConfigState, false);
  }

  public RuntimeMirrorOptions {
    mirrors = List.copyOf(mirrors);
  }

  /**
   * The {@code --mirrors} configuration for {@code destinationUrl}, empty without {@code
   * --mirrors}.
   *
   * @throws UsageException naming the bad value
   */
  public Optional<RuntimeMirrors> build(String destinationUrl) {
    if (mirrors.isEmpty()) {
      return Optional.empty();
    }
    try {
      RuntimeMirrors.Builder builder =
          RuntimeMirrors.builder().edge(destinationUrl).runtimeRoot(runtimeRoot)
              .reloadRuntimes(reload);
      mirrors.forEach(builder::mirrors);
      return Optional.of(builder.build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UsageException("option --mirrors: " + e.getMessage());
    }
  }
}
