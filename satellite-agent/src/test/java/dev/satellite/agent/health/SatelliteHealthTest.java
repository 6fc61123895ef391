package dev.satellite.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Entity;
import dev.satellite.core.SyncReport;
import dev.satellite.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Liveness and readiness from pass events, with a clock the test moves. */
class SatelliteHealthTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Duration STALL = Duration.ofMinutes(10);
  private static final Entity IMAGE =
      new Entity("library/app", "v1", "sha256:" + "a".repeat(64));

  private final MutableClock clock = new MutableClock(T0);
  private final PassTracker tracker = new PassTracker(clock);
  private final AtomicBoolean loopAlive = new AtomicBoolean(true);
  private final AtomicReference<Optional<String>> edge = new AtomicReference<>(Optional.empty());
  private final SatelliteHealth health = new SatelliteHealth(tracker, loopAlive::get,
      () -> Optional.of(INTERVAL), STALL, edge::get);

  private void advance(Duration by) {
    clock.set(clock.instant().plus(by));
  }

  private void pass(boolean ok) {
    tracker.syncStarted();
    advance(Duration.ofSeconds(5));
    tracker.syncFinished(SyncReport.builder(clock.instant(), Duration.ofSeconds(5))
        .checkpointSaved(true).errors(ok ? List.of() : List.of("read satellite state: 503 Service Unavailable"))
        .build());
  }

  private static String reason(HealthStatus status) {
    assertThat(status.up()).isFalse();
    return status.reason().orElseThrow();
  }

  @Test
  void notReadyBeforeTheFirstSuccessfulPassAndSaysWhyTheLastOneFailed() {
    assertThat(reason(health.readiness())).isEqualTo("no successful pass yet");
    pass(false);
    assertThat(reason(health.readiness())).isEqualTo("no successful pass yet; the last pass"
        + " failed: 0 image(s) failed, 1 error(s) (first: read satellite state: 503 Service"
        + " Unavailable)");
    pass(true);
    assertThat(health.readiness().up()).isTrue();
  }

  @Test
  void readyUntilTheLastSuccessIsOlderThanThreeIntervals() {
    pass(true);
    advance(Duration.ofMinutes(3));
    assertThat(health.readiness().up()).isTrue();
    pass(false);
    advance(Duration.ofSeconds(1));

    assertThat(reason(health.readiness())).isEqualTo("the last successful pass ended 186 s ago,"
        + " more than 3 intervals (180 s); the last pass failed: 0 image(s) failed, 1 error(s)"
        + " (first: read satellite state: 503 Service Unavailable)");
  }

  @Test
  void notReadyWhileTheEdgeDoesNotAnswerAndReadyWhenItIsBack() {
    pass(true);
    edge.set(Optional.of("ping 127.0.0.1:5000: Connection refused"));
    assertThat(reason(health.readiness()))
        .isEqualTo("the edge registry does not answer: ping 127.0.0.1:5000: Connection refused");
    edge.set(Optional.empty());
    assertThat(health.readiness().up()).isTrue();
  }

  @Test
  void aLongPassStaysAliveWhileItShowsProgress() {
    tracker.syncStarted();
    for (int i = 1; i <= 5; i++) {
      advance(Duration.ofMinutes(9));
      tracker.bytesCopied(IMAGE, i * 1_000_000L);
      assertThat(health.liveness().up()).as("after %d min", i * 9).isTrue();
    }
  }

  @Test
  void aPassWithoutProgressForLongerThanTheBoundIsWedged() {
    tracker.syncStarted();
    advance(Duration.ofMinutes(4));
    tracker.bytesCopied(IMAGE, 1_000);
    advance(STALL);
    assertThat(health.liveness().up()).isTrue();
    advance(Duration.ofSeconds(1));

    assertThat(reason(health.liveness())).isEqualTo("the pass that started at " + T0
        + " has shown no progress for 601 s (bound 600 s)");
  }

  @Test
  void aNextPassLaterThanTheIntervalPlusTheBoundIsWedged() {
    pass(true);
    advance(INTERVAL.plus(STALL));
    assertThat(health.liveness().up()).isTrue();
    advance(Duration.ofSeconds(1));

    assertThat(reason(health.liveness())).isEqualTo("no pass has started for 661 s since the last"
        + " one ended (interval 60 s, bound 600 s)");
  }

  @Test
  void aDeadLoopThreadIsNotAlive() {
    pass(true);
    loopAlive.set(false);

    assertThat(reason(health.liveness())).isEqualTo("the sync loop's thread is not running");
  }

  @Test
  void onDemandPassesHaveNoIntervalBound() {
    SatelliteHealth onDemand = new SatelliteHealth(tracker, () -> true, Optional::empty, STALL,
        Optional::empty);
    pass(true);
    advance(Duration.ofDays(2));

    assertThat(onDemand.liveness().up()).isTrue();
    assertThat(onDemand.readiness().up()).isTrue();
  }

  @Test
  void aPassThatCouldNotSaveItsCheckpointIsNotASuccess() {
    tracker.syncStarted();
    tracker.syncFinished(SyncReport.builder(T0, Duration.ZERO).checkpointSaved(false).build());

    assertThat(reason(health.readiness()))
        .isEqualTo("no successful pass yet; the last pass could not save its checkpoint");
  }

  @Test
  void anInterruptedPassIsNotASuccess() {
    tracker.syncStarted();
    tracker.syncFinished(SyncReport.builder(T0, Duration.ZERO).interrupted(true).build());

    assertThat(reason(health.readiness()))
        .isEqualTo("no successful pass yet; the last pass was interrupted");
  }
}
