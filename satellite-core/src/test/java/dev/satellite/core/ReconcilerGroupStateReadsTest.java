package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Group states are read ahead of their copies, several at a time, each once per pass. */
class ReconcilerGroupStateReadsTest extends ReconcilerFixture {

  @Test
  void groupStatesAreReadSeveralAtATimeWhileGroupsAreCopiedOneAtATime() {
    source.group("g1", app1).group("g2", app2).group("g3", web).group("g4");
    ConcurrentReads reads = new ConcurrentReads(source, 2);

    SyncReport report = reconciler().stateSource(reads).groupParallelism(1).build().sync();

    assertThat(report.ok()).isTrue();
    assertThat(reads.maxInFlight.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void eachGroupStateIsReadOncePerPass() {
    source.group("g1", app1).group("g2", app2).group("g3", web);
    ConcurrentReads reads = new ConcurrentReads(source, 1);

    reconciler().stateSource(reads).build().sync();

    assertThat(reads.total.get()).isEqualTo(3);
  }

  /** Delegates to a source; each group read waits (briefly) until {@code together} are running. */
  private static final class ConcurrentReads implements StateSource {
    private final StateSource delegate;
    private final CountDownLatch together;
    private final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger total = new AtomicInteger();

    ConcurrentReads(StateSource delegate, int together) {
      this.delegate = delegate;
      this.together = new CountDownLatch(together);
    }

    @Override
    public SatelliteState fetchSatelliteState() {
      return delegate.fetchSatelliteState();
    }

    @Override
    public GroupState fetchGroup(String ref) {
      total.incrementAndGet();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        together.countDown();
        together.await(5, TimeUnit.SECONDS);
        return delegate.fetchGroup(ref);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SatelliteException("read group state " + ref + ": interrupted");
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public String configDigest(String ref) {
      return delegate.configDigest(ref);
    }

    @Override
    public byte[] fetchConfig(String ref) {
      return delegate.fetchConfig(ref);
    }
  }
}
