package dev.satellite.cli.support;

import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Lets a stop request reach a setup that waits: building a satellite in a fleet may wait for
 * Ground Control for a long time (registration is retried for ever). While {@link #around} runs
 * the setup, a stop request interrupts the thread running it, so that the wait ends and the
 * process can exit cleanly; once the setup returned, a stop request no longer interrupts anything.
 */
public final class StopDuringSetup {
  private final CountDownLatch stopRequested;
  private Thread settingUp;
  private boolean interrupted;

  public StopDuringSetup(CountDownLatch stopRequested) {
    this.stopRequested = stopRequested;
  }

  /**
   * Runs {@code setup} on this thread; a stop request meanwhile interrupts it. A stop requested
   * before the setup began does not: the setup completes and the caller stops as usual.
   */
  public <T> T around(Supplier<T> setup) {
    if (stopRequested.getCount() == 0) {
      return setup.get();
    }
    synchronized (this) {
      settingUp = Thread.currentThread();
    }
    Thread watcher = new Thread(this::interruptOnStop, "satellite-agent-stop-during-setup");
    watcher.setDaemon(true);
    watcher.start();
    try {
      return setup.get();
    } finally {
      synchronized (this) {
        settingUp = null;
      }
      watcher.interrupt();
      Thread.interrupted(); // a stop that came just as the setup ended: the agent stops anyway
    }
  }

  /** Whether a stop request interrupted the setup. */
  public synchronized boolean stopped() {
    return interrupted;
  }

  private void interruptOnStop() {
    try {
      stopRequested.await();
    } catch (InterruptedException setupEnded) {
      return;
    }
    synchronized (this) {
      if (settingUp != null) {
        interrupted = true;
        settingUp.interrupt();
      }
    }
  }
}
