package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReconcilerBuilderTest extends ReconcilerFixture {

  @Test
  void buildRequiresStateSourceReplicatorAndStateStore() {
    assertThatThrownBy(() -> Reconciler.builder().replicator(edge).stateStore(store).build())
        .isInstanceOf(NullPointerException.class).hasMessage("stateSource is required");
    assertThatThrownBy(() -> Reconciler.builder().stateSource(source).stateStore(store).build())
        .isInstanceOf(NullPointerException.class).hasMessage("replicator is required");
    assertThatThrownBy(() -> Reconciler.builder().stateSource(source).replicator(edge).build())
        .isInstanceOf(NullPointerException.class).hasMessage("stateStore is required");
  }

  @Test
  void parallelismBelowOneIsRejectedWithItsName() {
    assertThatThrownBy(() -> reconciler().groupParallelism(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("groupParallelism must be at least 1, got 0");
    assertThatThrownBy(() -> reconciler().entityParallelism(-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entityParallelism must be at least 1, got -2");
  }

  @Test
  void negativeCancelGraceIsRejected() {
    assertThatThrownBy(() -> reconciler().cancelGrace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cancelGrace");
  }

  @Test
  void reportIsTimedWithTheConfiguredClock() {
    Instant now = Instant.parse("2026-11-26T08:30:00Z");
    source.group("g1", app1);

    SyncReport report = reconciler().clock(Clock.fixed(now, ZoneOffset.UTC)).build().sync();

    assertThat(report.startedAt()).isEqualTo(now);
    assertThat(report.duration()).isEqualTo(Duration.ZERO);
  }
}
