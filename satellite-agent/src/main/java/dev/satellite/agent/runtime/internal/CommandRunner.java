package dev.satellite.agent.runtime.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command (no shell: one argument per element) with standard input closed, its standard
 * output and error merged and the last {@value #KEPT_BYTES} bytes kept, and waits at most a
 * timeout, after which the process is killed. Standard error of a failing {@code systemctl} names
 * the unit and the journal command to read, so its end is what an operator needs.
 */
public final class CommandRunner {
  static final int KEPT_BYTES = 2048;

  private final Duration timeout;

  public CommandRunner(Duration timeout) {
    this.timeout = timeout;
  }

  /** How long a command may run before it is killed. */
  public Duration timeout() {
    return timeout;
  }

  /** How a command ended: its exit status (empty when it did not exit in time) and output's end. */
  public record Result(Integer exitStatus, String output) {
    public boolean succeeded() {
      return exitStatus != null && exitStatus == 0;
    }

    /** {@code exit status 1: <output>}, or {@code no exit within 120 s: <output>}. */
    public String describe(Duration timeout) {
      String status = exitStatus == null ? "no exit within " + (timeout.toMillis() < 1000
          ? timeout.toMillis() + " ms" : timeout.toSeconds() + " s") : "exit status " + exitStatus;
      return output.isBlank() ? status
          : status + ": " + output.strip().replaceAll("\\s*\n\\s*", " | ");
    }
  }

  /** Runs {@code command}; a command that cannot be started is a failure like a non-zero exit. */
  public Result run(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    } catch (IOException e) {
      return new Result(127, "cannot run " + command.get(0) + ": " + e.getMessage());
    }
    Tail tail = new Tail(process.getInputStream());
    Thread reader = new Thread(tail, "reload-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        reader.join(1000);
        return new Result(null, tail.text());
      }
      reader.join(1000);
      return new Result(process.exitValue(), tail.text());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(null, "interrupted while waiting for " + command.get(0));
    }
  }

  /** Reads a stream to its end, keeping its last bytes. */
  private static final class Tail implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    Tail(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[4096];
      try (in) {
        for (int n; (n = in.read(buffer)) != -1; ) {
          synchronized (kept) {
            kept.write(buffer, 0, n);
            if (kept.size() > 2 * KEPT_BYTES) {
              byte[] all = kept.toByteArray();
              kept.reset();
              kept.write(all, all.length - KEPT_BYTES, KEPT_BYTES);
            }
          }
        }
      } catch (IOException e) {
        // the process ended or was killed: what was read is kept
      }
    }

    String text() {
      synchronized (kept) {
        byte[] all = kept.toByteArray();
        int from = Math.max(0, all.length - KEPT_BYTES);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
      }
    }
  }
}
