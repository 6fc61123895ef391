package dev.satellite.agent.health;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.EntityOutcome;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows passes for {@link SatelliteHealth}: whether one runs, when it last showed progress (it
 * started, an image or a group finished, blob bytes moved, a prune, a checkpoint save), when the
 * last one ended, and when the last successful one ended (a pass that did all its work, deferrals
 * aside: {@link SyncReport#ok()}, not interrupted). Install it as a listener of the passes. All
 * times are read from the clock given. Thread-safe.
 */
public final class PassTracker implements SyncListener {
  private final Clock clock;
  private Instant started;
  private Instant lastProgress;
  private Instant lastEnded;
  private Instant lastSuccess;
  private String lastFailure;

  public PassTracker() {
    this(Clock.systemUTC());
  }

  /** @param clock what every time is read from (tests pass one they control) */
  public PassTracker(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Clock clock() {
    return clock;
  }

  /** What is known of the passes now. */
  synchronized Snapshot snapshot() {
    return new Snapshot(Optional.ofNullable(started), Optional.ofNullable(lastProgress),
        Optional.ofNullable(lastEnded), Optional.ofNullable(lastSuccess),
        Optional.ofNullable(lastFailure));
  }

  /**
   * @param running when the pass in progress started; empty between passes
   * @param lastProgress when the pass in progress last showed progress
   * @param lastEnded when the last pass ended
   * @param lastSuccess when the last successful pass ended
   * @param lastFailure why the last pass that ended was not successful, when it was not
   */
  record Snapshot(Optional<Instant> running, Optional<Instant> lastProgress,
      Optional<Instant> lastEnded, Optional<Instant> lastSuccess, Optional<String> lastFailure) {}

  private synchronized void progress() {
    lastProgress = clock.instant();
  }

  @Override
  public synchronized void syncStarted() {
    started = clock.instant();
    lastProgress = started;
  }

  @Override
  public void groupStarted(String groupRef) {
    progress();
  }

  @Override
  public void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {
    progress();
  }

  @Override
  public void bytesCopied(Entity entity, long bytesSoFar) {
    progress();
  }

  @Override
  public void pruned(String groupRef, Entity entity, PruneOutcome outcome) {
    progress();
  }

  @Override
  public void checkpointSaved(Checkpoint checkpoint) {
    progress();
  }

  @Override
  public synchronized void syncFinished(SyncReport report) {
    Instant now = clock.instant();
    started = null;
    lastEnded = now;
    if (report.ok() && !report.interrupted()) {
      lastSuccess = now;
      lastFailure = null;
    } else {
      lastFailure = report.interrupted() ? "the last pass was interrupted"
          : report.errors().isEmpty() && report.failures().isEmpty()
              ? "the last pass could not save its checkpoint"
          : "the last pass failed: " + report.failures().size() + " image(s) failed, "
              + report.errors().size() + " error(s)"
              + report.errors().stream().findFirst().map(e -> " (first: " + e + ")").orElse("");
    }
  }
}
