package dev.satellite.agent.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file that could not be changed, and why; the reason says whether the file was left untouched
 * or its previous version restored.
 *
 * @param path the file (or, when no runtime was found, the runtime root)
 * @param reason one line naming what failed
 */
public record FileFailure(Path path, String reason) {
  public FileFailure {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return reason;
  }
}
