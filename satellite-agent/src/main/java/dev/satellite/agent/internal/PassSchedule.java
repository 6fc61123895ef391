package dev.satellite.agent.internal;

import dev.satellite.agent.config.SatelliteConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time between passes the config asks for ({@code state_replication_interval}), kept for the
 * pass loop: a config applied before the loop starts sets its first interval; once the loop runs
 * and follows this schedule, each change applies to the wait in progress. Outside a fleet nothing
 * configures it, and the loop keeps the interval it was started with.
 */
public final class PassSchedule implements ConfigAppliers.Applier {
  private static final Logger log = LoggerFactory.getLogger(PassSchedule.class);

  private Duration configured;
  private Consumer<Duration> follower;

  /** The interval configured last, if any was. */
  public synchronized Optional<Duration> configured() {
    return Optional.ofNullable(configured);
  }

  @Override
  public void apply(SatelliteConfig previous, SatelliteConfig next) {
    if (!next.stateReplicationInterval().equals(previous.stateReplicationInterval())) {
      log.info("config: sync passes {} s apart from now on",
          next.stateReplicationInterval().toSeconds());
      configure(next.stateReplicationInterval());
    }
  }

  /** Makes {@code interval} the time between passes, from the wait in progress on. */
  public synchronized void configure(Duration interval) {
    configured = interval;
    if (follower != null) {
      follower.accept(interval);
    }
  }

  /**
   * Has {@code loop} told of every later change, and returns the interval to start with: the one
   * configured, else {@code fallback}. {@code loop} must not call back into this schedule.
   *
   * @throws IllegalStateException when a loop follows it already
   */
  public synchronized Duration follow(Consumer<Duration> loop, Duration fallback) {
    if (follower != null) {
      throw new IllegalStateException("a pass loop follows this schedule already");
    }
    follower = loop;
    return configured == null ? fallback : configured;
  }
}
