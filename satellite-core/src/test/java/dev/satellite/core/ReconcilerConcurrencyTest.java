package dev.satellite.core;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Overlapping calls, interrupts and threads of {@link Reconciler#sync()}. */
class ReconcilerConcurrencyTest extends ReconcilerFixture {
  private final ExecutorService callers = Executors.newFixedThreadPool(2);


  @AfterEach
  void stopCallers() throws InterruptedException {
    edge.release();
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, SECONDS)).isTrue();
  }

  @Test
  void secondSyncWaitsForTheRunningPassAndThenStartsFromItsResult() throws Exception {
    source.group("g1", app1, app2);
    Reconciler reconciler = reconciler().build();
    CountDownLatch blocked = edge.block(app1);
    Future<SyncReport> first = callers.submit(reconciler::sync);
    assertThat(blocked.await(10, SECONDS)).isTrue();

    Future<SyncReport> second = callers.submit(reconciler::sync);

    assertThatThrownBy(() -> second.get(300, MILLISECONDS)).isInstanceOf(TimeoutException.class);
    assertThat(source.satelliteStateReads).hasValue(1);
    edge.release();
    assertThat(first.get(10, SECONDS).replicated()).isEqualTo(2);
    SyncReport afterWait = second.get(10, SECONDS);
    assertThat(afterWait.unchanged()).isEqualTo(2);
    assertThat(afterWait.replicated()).isZero();
    assertThat(edge.replicated()).hasSize(2);
  }

  @Test
  void callInterruptedWhileWaitingReturnsAtOnceWithoutAPass() throws Exception {
    source.group("g1", app1);
    Reconciler reconciler = reconciler().build();
    CountDownLatch blocked = edge.block(app1);
    callers.submit(reconciler::sync);
    assertThat(blocked.await(10, SECONDS)).isTrue();
    SyncCaller waiter = new SyncCaller(reconciler);
    awaitState(waiter.thread, Thread.State.WAITING);

    waiter.interruptAndJoin();

    assertThat(waiter.thread.isAlive()).isFalse();
    assertThat(waiter.report.get().interrupted()).isTrue();
    assertThat(waiter.report.get().groups()).isEmpty();
    assertThat(waiter.flagAfter).isTrue();
    assertThat(source.satelliteStateReads).hasValue(1);
  }

  @Test
  void interruptStopsThePassPromptlyRecordsWhatLandedAndRestoresTheFlag() throws Exception {
    Entity old = entity("library/old", "v0", 9);
    source.group("g1", old);
    Reconciler reconciler = reconciler().entityParallelism(1).build();
    reconciler.sync();
    source.group("g1", app1, app2, web);
    CountDownLatch blocked = edge.block(app2);
    SyncCaller caller = new SyncCaller(reconciler);
    assertThat(blocked.await(10, SECONDS)).isTrue();

    long start = System.nanoTime();
    caller.interruptAndJoin();

    assertThat(caller.thread.isAlive()).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(SECONDS.toNanos(5));
    assertThat(caller.flagAfter).isTrue();
    SyncReport interrupted = caller.report.get();
    assertThat(interrupted.interrupted()).isTrue();
    assertThat(interrupted.ok()).isFalse();
    assertThat(interrupted.groups()).singleElement()
        .extracting(GroupReport::status).isEqualTo(GroupReport.Status.INTERRUPTED);
    assertThat(recorded("g1")).containsExactlyInAnyOrder(old, app1);
    assertThat(edge.replicated()).doesNotContain(web);
    assertThat(edge.deletes()).isEmpty();
  }

  @Test
  void syncCalledFromAListenerOnTheSameThreadIsRefused() {
    source.group("g1", app1);
    List<RuntimeException> refused = new ArrayList<>();
    AtomicReference<Reconciler> self = new AtomicReference<>();
    self.set(reconciler().listener(new SyncListener() {
      @Override
      public void syncStarted() {
        try {
          self.get().sync();
        } catch (IllegalStateException e) {
          refused.add(e);
        }
      }
    }).build());

    SyncReport report = self.get().sync();

    assertThat(refused).singleElement().extracting(Throwable::getMessage).asString()
        .contains("from within a sync pass");
    assertThat(report.ok()).isTrue();
  }

  @Test
  void groupsAreWorkedOnInParallelUpToGroupParallelism() {
    source.group("g1", app1, app2).group("g2", web, entity("library/web", "v2", 4))
        .group("g3", entity("library/db", "v1", 5), entity("library/db", "v2", 6));
    edge.copyMillis(40);

    SyncReport report = reconciler()
        .groupParallelism(2).entityParallelism(1).build().sync();

    assertThat(report.replicated()).isEqualTo(6);
    assertThat(edge.maxInFlight.get()).isEqualTo(2);
  }

  @Test
  void passesAfterTheFirstStartNoThreadAndCloseStopsTheWorkers() throws Exception {
    source.group("g1", app1, app2);
    Set<Thread> before = syncThreads();
    Reconciler reconciler = reconciler().groupParallelism(1).entityParallelism(1).build();

    reconciler.sync();
    Set<Thread> afterFirst = started(before);
    source.group("g1", app1, app2, web);
    for (int pass = 2; pass <= 6; pass++) {
      assertThat(reconciler.sync().failed()).isZero();
    }

    assertThat(afterFirst).extracting(Thread::getName).containsExactlyInAnyOrder(
        "satellite-sync-group-1", "satellite-sync-copy-1", "satellite-sync-state-1");
    assertThat(started(before)).isEqualTo(afterFirst);
    reconciler.close();
    for (Thread worker : afterFirst) {
      worker.join(10_000);
    }
    assertThat(started(before)).isEmpty();
    assertThatThrownBy(reconciler::sync).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void threadsStayWithinTheParallelismOverManyPasses() {
    source.group("g1", app1, app2).group("g2", web).group("g3", app1);
    Set<Thread> before = syncThreads();
    try (Reconciler reconciler = reconciler().groupParallelism(2).entityParallelism(2).build()) {
      for (int pass = 1; pass <= 10; pass++) {
        reconciler.sync();
      }

      // groups 2, entities 2 * 2, state reads at most 3 (one per group): 9 whatever the passes
      assertThat(started(before)).hasSizeLessThanOrEqualTo(9);
    }
  }

  @Test
  void interruptedPassLeavesNoWorkRunningAndTheNextPassUsesTheSameThreads() throws Exception {
    source.group("g1", app1, app2);
    Set<Thread> before = syncThreads();
    Reconciler reconciler = reconciler().groupParallelism(1).entityParallelism(1).build();
    CountDownLatch blocked = edge.block(app1);
    SyncCaller caller = new SyncCaller(reconciler);
    assertThat(blocked.await(10, SECONDS)).isTrue();

    caller.interruptAndJoin();

    assertThat(caller.report.get().interrupted()).isTrue();
    Set<Thread> workers = started(before);
    assertThat(workers).allSatisfy(worker -> assertThat(worker.getStackTrace())
        .noneMatch(frame -> frame.getClassName().contains("FakeReplicator")));
    edge.release();
    assertThat(reconciler.sync().failed()).isZero();
    assertThat(started(before)).isEqualTo(workers);
    reconciler.close();
  }

  /** The sync worker threads alive now that were not in {@code before}. */
  private static Set<Thread> started(Set<Thread> before) {
    Set<Thread> now = syncThreads();
    now.removeAll(before);
    return now;
  }

  /** A thread that calls {@code sync()} once and keeps what it returned and its interrupt flag. */
  private static final class SyncCaller {
    final AtomicReference<SyncReport> report = new AtomicReference<>();
    final AtomicBoolean flagAfter = new AtomicBoolean();
    final Thread thread;

    SyncCaller(Reconciler reconciler) {
      thread = new Thread(() -> {
        report.set(reconciler.sync());
        flagAfter.set(Thread.currentThread().isInterrupted());
      });
      thread.start();
    }

    void interruptAndJoin() throws InterruptedException {
      thread.interrupt();
      thread.join(10_000);
    }
  }

  private static Set<Thread> syncThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(thread -> thread.getName().startsWith("satellite-sync-"))
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (thread.getState() != state && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(thread.getState()).isEqualTo(state);
  }
}
