package dev.satellite.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running {@link ChildStoreMain} on this test's classpath. Its stdout goes to a file (not a
 * pipe: a pipe's unread lines can be lost when the child dies), of which only complete lines are
 * read, so that a line cut by a kill is never misread. Closing kills the child if it still runs.
 */
final class ChildJvm implements AutoCloseable {
  private static final long POLL_MILLIS = 5;

  private final Process process;
  private final Path output;
  private int consumed;

  private ChildJvm(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts the child; its stdout goes to {@code output}, its stderr to this JVM's. */
  static ChildJvm start(Path output, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and quick to start: the tests start dozens. No logging backend (its set-up costs more
    // CPU than the rest of the start-up); the child reports on stdout.
    command.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
        "-XX:+UseSerialGC", "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider",
        "-Dslf4j.internal.verbosity=WARN", "-cp", System.getProperty("java.class.path"),
        ChildStoreMain.class.getName()));
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(output.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      return new ChildJvm(process, output);
    } catch (IOException e) {
      throw new UncheckedIOException("start child JVM " + command, e);
    }
  }

  /** Waits for the next complete stdout line; fails after {@code timeout} or if the child ends. */
  String nextLine(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean alive = process.isAlive();
      List<String> lines = completeLines();
      if (lines.size() > consumed) {
        return lines.get(consumed++);
      }
      if (!alive || System.nanoTime() > deadline) {
        throw new AssertionError("child JVM gave no new line within " + timeout + " (alive: "
            + alive + "); lines so far: " + lines);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** Kills the child with SIGKILL, waits for it to exit, and returns every complete line. */
  List<String> killAndCollectOutput() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    return completeLines();
  }

  /** Closes the child's stdin and waits for it to exit. */
  int closeStdinAndWait(Duration timeout) throws InterruptedException, IOException {
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("child JVM did not exit within " + timeout);
    }
    return process.exitValue();
  }

  private List<String> completeLines() {
    String text;
    try {
      text = Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\n", -1));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
