package dev.satellite.registry.internal.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import org.junit.jupiter.api.Test;

class BandwidthLimitTest {
  private static final long MIB = 1024 * 1024;

  /** Time that passes only when a reader sleeps. */
  private static final class FakeTimer implements BandwidthLimit.Timer {
    long now;
    long slept;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepNanos(long nanos) {
      now += nanos;
      slept += nanos;
    }
  }

  @Test
  void readingTakesAsLongAsTheRateSaysAfterTheBurst() throws Exception {
    FakeTimer timer = new FakeTimer();
    BandwidthLimit limit = new BandwidthLimit(4 * MIB, timer);
    byte[] buffer = new byte[256 * 1024];

    try (InputStream in = limit.throttle(new ByteArrayInputStream(new byte[(int) (16 * MIB)]))) {
      while (in.read(buffer, 0, buffer.length) > 0) {
        assertThat(timer.now).as("never ahead of the rate by more than the burst")
            .isGreaterThanOrEqualTo(0);
      }
    }

    double seconds = timer.now / 1e9;
    double expected = (16 * MIB - limit.burst()) / (4.0 * MIB);
    assertThat(seconds).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void eachReadIsAtMostOneBurst() throws Exception {
    BandwidthLimit limit = new BandwidthLimit(MIB, new FakeTimer());
    byte[] buffer = new byte[1024 * 1024];

    int n = limit.throttle(new ByteArrayInputStream(new byte[1024 * 1024])).read(buffer);

    assertThat(n).isEqualTo((int) limit.burst()).isEqualTo(MIB / 10);
  }

  @Test
  void theBurstIsATenthOfASecondBetween16KiBAnd1MiB() {
    assertThat(new BandwidthLimit(1000).burst()).isEqualTo(16 * 1024);
    assertThat(new BandwidthLimit(10 * MIB).burst()).isEqualTo(MIB);
    assertThat(new BandwidthLimit(100 * MIB).burst()).isEqualTo(MIB);
    assertThat(new BandwidthLimit(2_500_000).burst()).isEqualTo(250_000);
  }

  @Test
  void readersTakingTurnsShareTheRate() throws Exception {
    FakeTimer timer = new FakeTimer();
    BandwidthLimit limit = new BandwidthLimit(2 * MIB, timer);

    for (int i = 0; i < 40; i++) {
      limit.take(MIB / 4); // four readers' reads of 64 KiB... in turns, 10 MiB in all
    }

    assertThat(timer.now / 1e9).isCloseTo((10.0 * MIB - limit.burst()) / (2 * MIB),
        org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void anIdleBucketRefillsOnlyUpToTheBurst() throws Exception {
    FakeTimer timer = new FakeTimer();
    BandwidthLimit limit = new BandwidthLimit(MIB, timer);
    timer.now += 60_000_000_000L;

    limit.take(limit.burst());
    assertThat(timer.slept).isZero();
    limit.take(MIB);

    assertThat(timer.slept / 1e9).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.001));
  }

  @Test
  void anInterruptedWaitEndsTheReadWithTheFlagSet() {
    BandwidthLimit limit = new BandwidthLimit(1000);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> limit.take(1_000_000)).isInstanceOf(InterruptedIOException.class)
          .hasMessageContaining("bandwidth limit");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theRateCanBeChangedAndLiftedWhileReadersRun() throws Exception {
    FakeTimer timer = new FakeTimer();
    BandwidthLimit limit = new BandwidthLimit(MIB, timer);
    limit.take(limit.burst() + MIB);
    assertThat(timer.slept / 1e9).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.001));

    limit.bytesPerSecond(4 * MIB);
    limit.take(limit.burst() + 4 * MIB);
    assertThat(timer.slept / 1e9).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.001));

    limit.unlimit();
    limit.take(1L << 40);
    assertThat(timer.slept / 1e9).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.001));
    assertThat(limit.burst()).isEqualTo(Long.MAX_VALUE);
    assertThat(BandwidthLimit.unlimited().bytesPerSecond()).isZero();
  }

  @Test
  void refusesARateBelowOneBytePerSecond() {
    assertThatThrownBy(() -> new BandwidthLimit(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 byte/s");
  }
}
