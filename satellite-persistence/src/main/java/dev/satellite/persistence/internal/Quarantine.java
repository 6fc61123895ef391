package dev.satellite.persistence.internal;

import dev.satellite.persistence.files.FileOps;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Moves an untrustworthy checkpoint aside as {@code <name>.corrupt-<UTC timestamp>} so that it can
 * be inspected, and is never overwritten or deleted: the rename refuses to replace an existing
 * file, and a name already taken (two corruptions in the same millisecond) gets a {@code -2},
 * {@code -3}, ... suffix.
 */
public final class Quarantine {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final int MAX_SUFFIX = 10_000;

  private final FileOps ops;
  private final Clock clock;

  public Quarantine(FileOps ops, Clock clock) {
    this.ops = ops;
    this.clock = clock;
  }

  /**
   * Renames {@code file} to a fresh {@code .corrupt-*} sibling.
   *
   * @return the new name
   * @throws IOException when the rename fails
   */
  public Path moveAside(Path file) throws IOException {
    String base = file.getFileName() + ".corrupt-" + STAMP.format(clock.instant());
    for (int n = 1; n <= MAX_SUFFIX; n++) {
      Path target = file.resolveSibling(n == 1 ? base : base + "-" + n);
      try {
        ops.moveWithoutReplacing(file, target);
        return target;
      } catch (FileAlreadyExistsException e) {
        // Taken by an earlier corruption in the same millisecond: try the next suffix.
      }
    }
    throw new FileAlreadyExistsException(
        file.resolveSibling(base).toString(), null, MAX_SUFFIX + " names are all taken");
  }
}
