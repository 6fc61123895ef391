package dev.satellite.agent.internal.support;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task again and again on one thread of its own, {@code interval} after the previous run
 * ended, until stopped.
 *
 * <p>Invariants: runs never overlap (there is one thread); the wait between two runs starts when a
 * run ends, so a slow run is never followed by a burst; a run that throws is logged and the loop
 * goes on; the interval may be changed while the loop runs and applies to the wait in progress
 * (measured from the end of the last run) and every later one; {@link #wakeUp} cuts the wait in
 * progress short (or the next one, when a run is in progress). {@link #stop} interrupts the run in
 * progress, waits for the thread to end and returns; it is idempotent. It must not be called from
 * the loop's own thread (it would wait for itself): {@link #isLoopThread} tells.
 */
public final class RunLoop {
  private static final Logger log = LoggerFactory.getLogger(RunLoop.class);

  private final Runnable task;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private Duration interval;
  private boolean stopping;
  private boolean wakeUp;

  /**
   * @param name the thread's name
   * @param daemon whether the thread lets the JVM exit while it runs
   */
  public RunLoop(String name, boolean daemon, Duration interval, Runnable task) {
    this.task = Objects.requireNonNull(task, "task");
    this.interval = requirePositive(interval);
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(daemon);
  }

  public void start() {
    thread.start();
  }

  /** Changes the time between the end of one run and the start of the next. */
  public void interval(Duration newInterval) {
    Duration checked = requirePositive(newInterval);
    lock.lock();
    try {
      interval = checked;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the wait in progress, so the next run starts now; when a run is in progress, the next
   * one starts as soon as it ends.
   */
  public void wakeUp() {
    lock.lock();
    try {
      wakeUp = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public Duration interval() {
    lock.lock();
    try {
      return interval;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the loop: no new run starts, the run in progress is interrupted, and this method waits
   * up to {@code wait} for it to end.
   *
   * @return true when the loop's thread has ended (or was never started)
   */
  public boolean stop(Duration wait) {
    lock.lock();
    try {
      stopping = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (isLoopThread()) {
      throw new IllegalStateException("the run loop cannot be stopped from its own thread");
    }
    if (!thread.isAlive()) {
      return true;
    }
    thread.interrupt();
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private void loop() {
    while (!isStopping()) {
      try {
        clearWakeUp();
        task.run();
      } catch (RuntimeException e) {
        log.error("{} failed and will run again in {}: {}", thread.getName(), interval(),
            e.toString(), e);
      }
      if (!awaitNextRun()) {
        return;
      }
    }
  }

  /** Waits {@code interval} from now; false when stopped meanwhile. */
  private boolean awaitNextRun() {
    lock.lock();
    try {
      long start = System.nanoTime();
      while (!stopping) {
        if (wakeUp) {
          wakeUp = false;
          return true;
        }
        long left = interval.toNanos() - (System.nanoTime() - start);
        if (left <= 0) {
          return true;
        }
        changed.awaitNanos(left);
      }
      return false;
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** A wake-up asked for before a run starts is answered by that run. */
  private void clearWakeUp() {
    lock.lock();
    try {
      wakeUp = false;
    } finally {
      lock.unlock();
    }
  }

  private boolean isStopping() {
    lock.lock();
    try {
      return stopping;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the loop's thread has started and not ended. */
  public boolean isAlive() {
    return thread.isAlive();
  }

  /** Whether the calling thread is the loop's own. */
  public boolean isLoopThread() {
    return Thread.currentThread() == thread;
  }

  private static Duration requirePositive(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    return interval;
  }
}
