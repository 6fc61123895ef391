package dev.satellite.examples;

import dev.satellite.core.SyncReport;
import dev.satellite.examples.cli.CommandLine;
import dev.satellite.examples.cli.ProgressLog;
import dev.satellite.examples.cli.SatelliteSetup;
import dev.satellite.examples.cli.SyncOptions;
import dev.satellite.examples.cli.UsageException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SyncOnce} on an interval, for as long as the process runs. On SIGTERM or SIGINT it stops
 * cleanly: the pass in progress is interrupted (the reconciler then saves a checkpoint of exactly
 * what landed), the checkpoint file is released, and the process exits 0. Each pass logs one
 * summary line.
 */
public final class SatelliteAgent {
  private static final Logger log = LoggerFactory.getLogger("satellite");
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  private SatelliteAgent() {}

  public static void main(String[] args) {
    CommandLine.Result parsed =
        CommandLine.parse("SatelliteAgent", args, System.getenv(), true, System.out, System.err);
    if (parsed.options().isEmpty()) {
      System.exit(parsed.exitCode());
    }
    Thread worker = Thread.currentThread();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> stopOnSignal(worker, stopped), "satellite-agent-shutdown"));
    int status = run(parsed.options().get(), System.out, System.err);
    stopped.countDown();
    System.exit(status);
  }

  /**
   * Runs passes until the thread is interrupted.
   *
   * @return 0 after a clean stop, 2 when the setup failed
   */
  static int run(SyncOptions options, PrintStream out, PrintStream err) {
    Duration interval = options.interval().orElseThrow();
    try (SatelliteSetup satellite = new SatelliteSetup(options, new ProgressLog())) {
      log.info("agent started: syncing every {}s", interval.toSeconds());
      while (!Thread.currentThread().isInterrupted()) {
        SyncReport report = satellite.reconciler().sync();
        if (options.json()) {
          out.println(report.toJson());
        }
        if (report.interrupted()) {
          break;
        }
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          break;
        }
      }
      log.info("agent stopped");
      return 0;
    } catch (UsageException e) {
      err.println("SatelliteAgent: " + e.getMessage());
      return 2;
    }
  }

  /**
   * Runs in the shutdown hook: interrupts the worker, waits for it to finish its pass and release
   * the checkpoint, then ends the process with status 0 (a signal would otherwise end it with 143).
   */
  private static void stopOnSignal(Thread worker, CountDownLatch stopped) {
    if (stopped.getCount() == 0) {
      return;
    }
    log.info("stop requested: finishing the current pass");
    worker.interrupt();
    try {
      if (!stopped.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("the pass did not stop within {}s; exiting anyway", SHUTDOWN_GRACE.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
