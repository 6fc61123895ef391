package dev.satellite.agent.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Answers a liveness probe and a readiness probe for a satellite, from its {@link PassTracker},
 * whether its run loop's thread is alive, its pass interval and a check of its edge registry. No
 * HTTP server: a command or an application serves the answers (e.g. {@code /healthz}, {@code
 * /readyz}).
 *
 * <p><b>Alive</b> ({@link #liveness()}): the run loop's thread is alive, and not wedged: a pass in
 * progress showed progress (see {@link PassTracker}) within the stall bound, and between passes
 * the next one started within the interval plus the stall bound. A long copy that keeps moving
 * bytes stays alive. A satellite whose passes run on demand (no loop) is alive while open.
 *
 * <p><b>Ready</b> ({@link #readiness()}): a pass succeeded, the last one ended within three
 * intervals (no bound without a loop), and the edge registry answers now. Otherwise the reason
 * names what is missing; the checks run in that order, so the first failing one is named.
 */
public final class SatelliteHealth {
  /** How many intervals the last successful pass may be old and the satellite still ready. */
  public static final int READY_INTERVALS = 3;

  private final PassTracker passes;
  private final BooleanSupplier loopAlive;
  private final Supplier<Optional<Duration>> interval;
  private final Duration stallBound;
  private final Supplier<Optional<String>> edgeCheck;

  /**
   * @param passes follows the passes (installed as their listener)
   * @param loopAlive whether the run loop's thread is alive (true when passes run on demand)
   * @param interval the time between passes, empty when passes run on demand
   * @param stallBound how long a pass may show no progress, or the next pass be late, before the
   *     satellite counts as wedged
   * @param edgeCheck checks the edge registry now: empty when it answered, else why not
   */
  public SatelliteHealth(PassTracker passes, BooleanSupplier loopAlive,
      Supplier<Optional<Duration>> interval, Duration stallBound,
      Supplier<Optional<String>> edgeCheck) {
    this.passes = Objects.requireNonNull(passes, "passes");
    this.loopAlive = Objects.requireNonNull(loopAlive, "loopAlive");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.stallBound = Objects.requireNonNull(stallBound, "stallBound");
    this.edgeCheck = Objects.requireNonNull(edgeCheck, "edgeCheck");
    if (stallBound.isNegative() || stallBound.isZero()) {
      throw new IllegalArgumentException("stall bound must be positive: " + stallBound);
    }
  }

  /** Whether the satellite's loop runs and is not wedged. */
  public HealthStatus liveness() {
    if (!loopAlive.getAsBoolean()) {
      return HealthStatus.unhealthy("the sync loop's thread is not running");
    }
    PassTracker.Snapshot now = passes.snapshot();
    Instant at = passes.clock().instant();
    if (now.running().isPresent()) {
      Instant progress = now.lastProgress().orElse(now.running().get());
      Duration quiet = Duration.between(progress, at);
      if (quiet.compareTo(stallBound) > 0) {
        return HealthStatus.unhealthy("the pass that started at " + now.running().get()
            + " has shown no progress for " + seconds(quiet) + " (bound " + seconds(stallBound)
            + ")");
      }
      return HealthStatus.healthy();
    }
    Optional<Duration> every = interval.get();
    if (every.isPresent() && now.lastEnded().isPresent()) {
      Duration idle = Duration.between(now.lastEnded().get(), at);
      if (idle.compareTo(every.get().plus(stallBound)) > 0) {
        return HealthStatus.unhealthy("no pass has started for " + seconds(idle) + " since the last"
            + " one ended (interval " + seconds(every.get()) + ", bound " + seconds(stallBound)
            + ")");
      }
    }
    return HealthStatus.healthy();
  }

  /** Whether the satellite keeps the edge current and the edge serves. */
  public HealthStatus readiness() {
    PassTracker.Snapshot now = passes.snapshot();
    if (now.lastSuccess().isEmpty()) {
      return HealthStatus.unhealthy(now.lastFailure().map(failure -> "no successful pass yet; "
          + failure).orElse("no successful pass yet"));
    }
    Optional<Duration> every = interval.get();
    if (every.isPresent()) {
      Duration age = Duration.between(now.lastSuccess().get(), passes.clock().instant());
      Duration limit = every.get().multipliedBy(READY_INTERVALS);
      if (age.compareTo(limit) > 0) {
        return HealthStatus.unhealthy("the last successful pass ended " + seconds(age) + " ago, more"
            + " than " + READY_INTERVALS + " intervals (" + seconds(limit) + ")"
            + now.lastFailure().map(failure -> "; " + failure).orElse(""));
      }
    }
    Optional<String> edge = edgeCheck.get();
    if (edge.isPresent()) {
      return HealthStatus.unhealthy("the edge registry does not answer: " + edge.get());
    }
    return HealthStatus.healthy();
  }

  private static String seconds(Duration duration) {
    return duration.toSeconds() + " s";
  }
}
