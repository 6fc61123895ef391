package dev.satellite.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL server programs ({@code initdb}, {@code pg_ctl}) that {@link
 * PostgresServer} runs: the directory named by {@value #BIN_PROPERTY}, else the newest {@code
 * /usr/lib/postgresql/<version>/bin} (where Debian's {@code postgresql} package puts them; they are
 * not on {@code PATH}), else {@code PATH}.
 */
final class PostgresBinaries {
  /** System property naming the directory of {@code initdb} and {@code pg_ctl}. */
  static final String BIN_PROPERTY = "satellite.postgresBin";
  static final String DEBIAN_PACKAGE = "postgresql";
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

  private PostgresBinaries() {}

  /** The directory holding both programs, if there is one. */
  static Optional<Path> find() {
    String configured = System.getProperty(BIN_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(PostgresBinaries::hasBoth);
    }
    Optional<Path> debian = newestDebianBin();
    if (debian.isPresent()) {
      return debian;
    }
    return Executables.lookUp("pg_ctl", Executables.searchPath())
        .map(Path::getParent)
        .filter(PostgresBinaries::hasBoth);
  }

  /**
   * The directory holding both programs.
   *
   * @throws IllegalStateException naming the package to install when they are missing
   */
  static Path require() {
    return find().orElseThrow(() -> new IllegalStateException(
        "PostgreSQL's initdb and pg_ctl were not found (in -D" + BIN_PROPERTY + ", "
            + DEBIAN_ROOT + "/<version>/bin or on PATH); the PostgreSQL tests need them: install"
            + " the Debian package '" + DEBIAN_PACKAGE + "' (apt-get install " + DEBIAN_PACKAGE
            + "), as .ci/run does"));
  }

  private static Optional<Path> newestDebianBin() {
    if (!Files.isDirectory(DEBIAN_ROOT)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(PostgresBinaries::hasBoth)
          .max(Comparator.comparing(PostgresBinaries::majorVersion));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean hasBoth(Path dir) {
    return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
  }
}
