package dev.satellite.agent.internal;

import dev.satellite.agent.internal.support.RunLoop;
import dev.satellite.core.SyncReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a satellite's passes, on demand ({@link #runOnce}) or on a {@link RunLoop} ({@link
 * #start}), and stops them.
 *
 * <p>Invariants: once {@link #close} began, no pass starts; closing interrupts every pass in
 * progress (the reconciler then saves what landed) and waits for them, up to a bound, before it
 * returns, so the caller may then release what the passes use. Closing from within a pass is
 * refused: it would wait for itself. Whether two passes may overlap is the pass's own business
 * (the reconciler makes them wait for each other).
 *
 * <p><b>Leading.</b> A pass starts only while {@code leading} says so (always, for a satellite
 * alone at its site): the loop skips its turn on a standby, {@link #runOnce} refuses. The check is
 * made after the pass is registered as running, so a step-down ({@link #interruptPasses}) either
 * finds the pass and interrupts it or the pass finds it no longer leads.
 */
public final class Passes {
  private static final Logger log = LoggerFactory.getLogger(Passes.class);

  private final Supplier<SyncReport> pass;
  private final BooleanSupplier leading;
  private final String threadName;
  private final Duration closeWait;
  private final List<Thread> running = new ArrayList<>();
  private RunLoop loop;
  private boolean closed;

  /**
   * @param pass runs one pass
   * @param leading whether this satellite may run a pass now
   * @param threadName the name of the background loop's thread
   * @param closeWait how long {@link #close} waits for passes in progress
   */
  public Passes(Supplier<SyncReport> pass, BooleanSupplier leading, String threadName,
      Duration closeWait) {
    this.pass = pass;
    this.leading = leading;
    this.threadName = threadName;
    this.closeWait = closeWait;
  }

  /**
   * Runs one pass on the calling thread.
   *
   * @throws IllegalStateException after {@link #close}, or on a standby
   */
  public SyncReport runOnce() {
    return runIfLeading().orElseThrow(() -> new IllegalStateException(
        "this satellite is a standby: another agent holds the leader lease and syncs"));
  }

  /** Runs one pass on the calling thread when this satellite leads; empty on a standby. */
  private Optional<SyncReport> runIfLeading() {
    synchronized (running) {
      requireOpen();
      running.add(Thread.currentThread());
    }
    try {
      if (!leading.getAsBoolean()) {
        return Optional.empty();
      }
      return Optional.of(pass.get());
    } finally {
      synchronized (running) {
        running.remove(Thread.currentThread());
        running.notifyAll();
      }
    }
  }

  /**
   * Starts the background loop: a pass now, each next one {@code interval} after the previous
   * one ended, on one non-daemon thread.
   *
   * @throws IllegalStateException when already started, or after {@link #close}
   */
  public void start(Duration interval) {
    start(new PassSchedule(), interval);
  }

  /**
   * Starts the background loop on {@code schedule}: a pass now, each next one the interval it
   * configures (else {@code fallback}) after the previous one ended, on one non-daemon thread.
   * The schedule's later changes apply to the wait in progress.
   *
   * @throws IllegalStateException when already started, or after {@link #close}
   */
  public void start(PassSchedule schedule, Duration fallback) {
    synchronized (running) {
      requireOpen();
      if (loop != null) {
        throw new IllegalStateException("this satellite was started already");
      }
      loop = new RunLoop(threadName, false, fallback, () -> {
        runIfLeading().ifPresentOrElse(
            report -> log.debug("pass finished: ok={} interrupted={}", report.ok(),
                report.interrupted()),
            () -> log.debug("standby: no pass"));
        clearStepDownInterrupt();
      });
      loop.interval(schedule.follow(loop::interval, fallback));
      loop.start();
    }
  }

  /**
   * Whether passes can still run: before {@link #start} (passes on demand), while the loop's
   * thread is alive; never after {@link #close}.
   */
  public boolean loopAlive() {
    synchronized (running) {
      return !closed && (loop == null || loop.isAlive());
    }
  }

  /** The loop's interval, or empty when passes run on demand. */
  public Optional<Duration> loopInterval() {
    synchronized (running) {
      return loop == null ? Optional.empty() : Optional.of(loop.interval());
    }
  }

  /** Starts the background loop's next pass now (or as soon as the one in progress ends). */
  public void runSoon() {
    synchronized (running) {
      if (loop != null) {
        loop.wakeUp();
      }
    }
  }

  /**
   * Interrupts the passes in progress (each then saves what landed, if its store still lets it),
   * without stopping the loop: for a satellite that lost the lead.
   */
  public void interruptPasses() {
    synchronized (running) {
      running.forEach(Thread::interrupt);
    }
  }

  /**
   * Clears the loop thread's interrupt flag when it came from {@link #interruptPasses} (the
   * satellite is not closing), so the loop waits for its next turn instead of ending.
   */
  private void clearStepDownInterrupt() {
    synchronized (running) {
      if (!closed) {
        Thread.interrupted();
      }
    }
  }

  /** Whether {@link #start} was called and {@link #close} was not. */
  public boolean isRunning() {
    synchronized (running) {
      return loop != null && !closed;
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this satellite is closed");
    }
  }

  /**
   * Stops the loop and interrupts the passes in progress, then waits for them to end.
   *
   * @return false when this call found it closed already (nothing was done)
   * @throws IllegalStateException when called from within a pass
   */
  public boolean close() {
    RunLoop stopping;
    synchronized (running) {
      if (running.contains(Thread.currentThread())) {
        throw new IllegalStateException("close() called from within a pass of this satellite");
      }
      if (closed) {
        return false;
      }
      closed = true;
      stopping = loop;
      running.forEach(Thread::interrupt);
    }
    if (stopping != null && !stopping.stop(closeWait)) {
      log.warn("the sync pass did not end within {}s of close(); closing its resources anyway",
          closeWait.toSeconds());
    }
    awaitPasses();
    return true;
  }

  private void awaitPasses() {
    long deadline = System.nanoTime() + closeWait.toNanos();
    synchronized (running) {
      boolean interrupted = false;
      while (!running.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn("{} pass(es) still running {}s after close(); closing resources anyway",
              running.size(), closeWait.toSeconds());
          break;
        }
        try {
          running.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
