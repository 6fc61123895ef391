package dev.satellite.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.SyncReport;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Passes} on a satellite that shares its site: passes only while it leads. */
class PassesTest {
  private final AtomicBoolean leading = new AtomicBoolean();
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private volatile boolean passBlocks;
  private final Passes passes = new Passes(this::pass, leading::get, "test-passes",
      Duration.ofSeconds(10));

  private SyncReport pass() {
    events.add("pass");
    boolean interrupted = false;
    if (passBlocks) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted = true;
        events.add("interrupted");
      }
    }
    return SyncReport.builder(Instant.now(), Duration.ZERO).interrupted(interrupted).build();
  }

  @AfterEach
  void close() {
    passes.close();
  }

  private String next() throws InterruptedException {
    return events.poll(5, TimeUnit.SECONDS);
  }

  @Test
  void aStandbyRunsNoPassAndRefusesOneOnDemand() throws Exception {
    passes.start(Duration.ofMillis(20));
    Thread.sleep(200);
    assertThat(events).isEmpty();
    assertThatThrownBy(passes::runOnce).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("standby");
  }

  @Test
  void becomingLeaderStartsAPassAtOnceInsteadOfAtTheEndOfTheInterval() throws Exception {
    passes.start(Duration.ofHours(1));
    Thread.sleep(100);
    leading.set(true);
    passes.runSoon();
    assertThat(next()).isEqualTo("pass");
  }

  @Test
  void steppingDownInterruptsThePassInProgressAndTheLoopGoesOn() throws Exception {
    leading.set(true);
    passBlocks = true;
    passes.start(Duration.ofHours(1));
    assertThat(next()).isEqualTo("pass");

    leading.set(false);
    passes.interruptPasses();
    assertThat(next()).isEqualTo("interrupted");

    passBlocks = false;
    leading.set(true);
    passes.runSoon();
    assertThat(next()).as("the loop survived the step-down").isEqualTo("pass");
    assertThat(passes.isRunning()).isTrue();
  }

  @Test
  void theLoopStartsOnTheIntervalTheScheduleHasAndFollowsItsLaterChangesInTheWaitInProgress()
      throws Exception {
    leading.set(true);
    PassSchedule schedule = new PassSchedule();
    schedule.configure(Duration.ofHours(2));

    passes.start(schedule, Duration.ofMillis(10));
    assertThat(next()).isEqualTo("pass");
    assertThat(passes.loopInterval()).contains(Duration.ofHours(2));
    Thread.sleep(200);
    assertThat(events).as("the schedule's two hours, not the 10 ms fallback").isEmpty();

    schedule.configure(Duration.ofMillis(50));
    assertThat(next()).as("the wait in progress is cut to the new interval").isEqualTo("pass");
    assertThatThrownBy(() -> schedule.follow(interval -> { }, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
  }
}
