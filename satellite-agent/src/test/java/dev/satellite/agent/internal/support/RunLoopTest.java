package dev.satellite.agent.internal.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunLoopTest {
  @Test
  void aRunThatThrowsIsFollowedByTheNextRun() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(3);
    RunLoop loop = new RunLoop("test-loop", true, Duration.ofMillis(10), () -> {
      runs.incrementAndGet();
      third.countDown();
      throw new IllegalStateException("a bug in the task");
    });
    loop.start();
    assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(loop.stop(Duration.ofSeconds(5))).isTrue();
    int after = runs.get();
    Thread.sleep(100);
    assertThat(runs.get()).isEqualTo(after);
  }

  @Test
  void stopInterruptsTheRunInProgressAndWaitsForIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<String> seen = new AtomicReference<>();
    RunLoop loop = new RunLoop("test-loop", true, Duration.ofMinutes(1), () -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        sleepUninterruptibly(200); // saving what landed
        seen.set("interrupted and saved");
      }
    });
    loop.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(loop.stop(Duration.ofSeconds(10))).isTrue();

    assertThat(seen.get()).isEqualTo("interrupted and saved");
    assertThat(loop.stop(Duration.ofSeconds(1))).as("idempotent").isTrue();
  }

  @Test
  void aShorterIntervalAppliesToTheWaitInProgress() throws Exception {
    CountDownLatch second = new CountDownLatch(2);
    RunLoop loop = new RunLoop("test-loop", true, Duration.ofHours(1), second::countDown);
    loop.start();
    Thread.sleep(100);
    assertThat(second.getCount()).isEqualTo(1);

    loop.interval(Duration.ofMillis(10));

    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(loop.interval()).isEqualTo(Duration.ofMillis(10));
    loop.stop(Duration.ofSeconds(5));
  }

  @Test
  void theNextRunStartsAnIntervalAfterThePreviousOneEnded() throws Exception {
    long[] ends = new long[2];
    long[] starts = new long[2];
    AtomicInteger run = new AtomicInteger();
    CountDownLatch two = new CountDownLatch(2);
    RunLoop loop = new RunLoop("test-loop", true, Duration.ofMillis(200), () -> {
      int i = run.getAndIncrement();
      if (i < 2) {
        starts[i] = System.nanoTime();
        sleepUninterruptibly(300);
        ends[i] = System.nanoTime();
        two.countDown();
      }
    });
    loop.start();
    assertThat(two.await(10, TimeUnit.SECONDS)).isTrue();
    loop.stop(Duration.ofSeconds(5));
    assertThat(TimeUnit.NANOSECONDS.toMillis(starts[1] - ends[0])).isBetween(190L, 2_000L);
  }

  @Test
  void stopFromTheLoopsOwnThreadIsRefused() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<RunLoop> self = new AtomicReference<>();
    RunLoop loop = new RunLoop("test-loop", true, Duration.ofHours(1), () -> {
      try {
        self.get().stop(Duration.ofSeconds(1));
      } catch (IllegalStateException e) {
        thrown.set(e);
      }
      done.countDown();
    });
    self.set(loop);
    loop.start();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(thrown.get()).hasMessageContaining("own thread");
    loop.stop(Duration.ofSeconds(5));
  }

  @Test
  void rejectsANonPositiveInterval() {
    assertThatThrownBy(() -> new RunLoop("x", true, Duration.ZERO, () -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
  }

  private static void sleepUninterruptibly(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      try {
        Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      } catch (InterruptedException ignored) {
        // keep sleeping: this stands for work that must finish
      }
    }
  }

  @Test
  void wakeUpStartsTheNextRunWithoutWaitingForTheInterval() throws Exception {
    CountDownLatch second = new CountDownLatch(2);
    RunLoop loop = new RunLoop("test-loop", true, Duration.ofHours(1), second::countDown);
    loop.start();
    Thread.sleep(100);
    assertThat(second.getCount()).isEqualTo(1);

    loop.wakeUp();

    assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(loop.stop(Duration.ofSeconds(5))).isTrue();
  }
}
