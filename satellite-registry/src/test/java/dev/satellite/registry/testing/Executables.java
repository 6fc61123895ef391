package dev.satellite.registry.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds external programs the harness runs. */
final class Executables {
  private Executables() {}

  /**
   * Returns {@code name} from {@code PATH} (or {@code /usr/bin}, {@code /usr/sbin}).
   *
   * @throws IllegalStateException naming the Debian package to install when it is missing
   */
  static Path find(String name, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : (path + File.pathSeparator + "/usr/bin:/usr/sbin").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "'"
            + name
            + "' was not found on PATH ("
            + path
            + "); the real-registry tests need it: install the Debian package '"
            + debianPackage
            + "' (apt-get install "
            + debianPackage
            + "), as .ci/run does");
  }
}
