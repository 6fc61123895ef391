package dev.satellite.agent.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The container runtimes' binaries for the real-runtime tests. */
final class RuntimeBinaries {
  private RuntimeBinaries() {}

  /**
   * {@code name} from {@code PATH}; without it the test is skipped with one line naming the Debian
   * package, or fails under {@code -Dsatellite.requireRuntimes=true}.
   */
  static Path find(String name, String debianPackage) {
    Optional<Path> found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    if (found.isEmpty() && Boolean.getBoolean("satellite.requireRuntimes")) {
      throw new AssertionError(name + " is not installed, and -Dsatellite.requireRuntimes=true");
    }
    assumeTrue(found.isPresent(), name + " not installed: real-runtime check skipped"
        + " (apt-get install " + debianPackage + ")");
    return found.get();
  }
}
