package dev.satellite.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the external programs a real registry needs on {@code PATH}. */
final class Executables {
  /** A program and the Debian package that installs it. */
  record Program(String name, String debianPackage) {}

  static final Program DOCKER_REGISTRY = new Program("docker-registry", "docker-registry");
  static final Program HTPASSWD = new Program("htpasswd", "apache2-utils");

  /** Every program {@link DistributionRegistry} runs. */
  static final List<Program> REGISTRY_PROGRAMS = List.of(DOCKER_REGISTRY, HTPASSWD);

  private Executables() {}

  /**
   * Returns {@code program} from this process's {@code PATH}.
   *
   * @throws IllegalStateException naming the Debian package to install when it is missing
   */
  static Path find(Program program) {
    String path = searchPath();
    return lookUp(program.name(), path)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "'"
                        + program.name()
                        + "' was not found on PATH ("
                        + path
                        + "); the real-registry tests need it: install the Debian package '"
                        + program.debianPackage()
                        + "' (apt-get install "
                        + program.debianPackage()
                        + "), as .ci/run does"));
  }

  /** The programs of {@link #REGISTRY_PROGRAMS} that {@code path} (a PATH value) lacks. */
  static List<Program> missing(String path) {
    List<Program> missing = new ArrayList<>();
    for (Program program : REGISTRY_PROGRAMS) {
      if (lookUp(program.name(), path).isEmpty()) {
        missing.add(program);
      }
    }
    return missing;
  }

  static String searchPath() {
    return System.getenv().getOrDefault("PATH", "");
  }

  /** The first executable file {@code name} in a directory of {@code path}. */
  static Optional<Path> lookUp(String name, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
