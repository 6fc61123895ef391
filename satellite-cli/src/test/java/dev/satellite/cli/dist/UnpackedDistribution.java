package dev.satellite.cli.dist;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The distribution tarball this build made, unpacked with {@code tar} as a user would, and its
 * {@code bin/satellite} run as a process: nothing of the test's class path reaches it.
 */
final class UnpackedDistribution {
  private final Path home;

  private UnpackedDistribution(Path home) {
    this.home = home;
  }

  /** Unpacks {@code satellite.distribution} (set by the build) into {@code directory}. */
  static UnpackedDistribution unpack(Path directory) throws IOException, InterruptedException {
    String tarball = System.getProperty("satellite.distribution");
    String version = System.getProperty("satellite.version");
    if (tarball == null || version == null || !Files.isRegularFile(Path.of(tarball))) {
      throw new IllegalStateException("no distribution tarball at '" + tarball
          + "': run the integration tests through Maven's verify phase, after package");
    }
    Process tar = new ProcessBuilder("tar", "-xzf", tarball, "-C", directory.toString())
        .redirectErrorStream(true).start();
    String output = new String(tar.getInputStream().readAllBytes(), UTF_8);
    if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
      throw new IllegalStateException("tar -xzf " + tarball + " failed: " + output);
    }
    return new UnpackedDistribution(directory.resolve("satellite-" + version));
  }

  Path home() {
    return home;
  }

  Path launcher() {
    return home.resolve("bin/satellite");
  }

  /**
   * Starts {@code bin/satellite args...} with exactly {@code env} as its environment (plus
   * {@code PATH} for the shell's own tools when {@code env} has none), output and errors to files
   * in {@code logs}.
   */
  Run start(Path logs, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(launcher().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
    builder.environment().put("HOME", logs.toString());
    builder.environment().putAll(env);
    Files.createDirectories(logs);
    Path out = Files.createTempFile(logs, "stdout-", ".txt");
    Path err = Files.createTempFile(logs, "stderr-", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new Run(builder.start(), out, err);
  }

  /** Runs {@code bin/satellite args...} to its end (at most two minutes). */
  Run run(Path logs, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Run run = start(logs, env, args);
    run.await(120);
    return run;
  }

  /** The environment that selects the test's own Java, as a user sets {@code JAVA_HOME}. */
  static Map<String, String> javaHome() {
    return Map.of("JAVA_HOME", System.getProperty("java.home"));
  }

  /** A started {@code bin/satellite}: its process and the files its output goes to. */
  record Run(Process process, Path stdout, Path stderr) {
    void await(long seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("bin/satellite still running after " + seconds
            + " s; stderr: " + err());
      }
    }

    int exitValue() {
      return process.exitValue();
    }

    String out() {
      return read(stdout);
    }

    String err() {
      return read(stderr);
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
