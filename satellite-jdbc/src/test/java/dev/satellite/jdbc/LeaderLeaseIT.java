package dev.satellite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.LeaderLease;
import dev.satellite.core.StateStoreException;
import dev.satellite.testing.RequiresPostgres;
import dev.satellite.testing.SampleCheckpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease on a real PostgreSQL: acquisition, expiry, takeover, release, fencing. */
@RequiresPostgres
class LeaderLeaseIT {
  private static final String NAME = "site-a";
  private final List<AutoCloseable> closing = new ArrayList<>();
  private TestDatabase db;

  @BeforeEach
  void newDatabase() {
    db = new TestDatabase();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private PostgresLeaderLease lease(Duration ttl, String holder) {
    PostgresLeaderLease lease =
        PostgresLeaderLease.builder(db.database, NAME).ttl(ttl).holder(holder).build();
    closing.add(lease);
    return lease;
  }

  /** Records a lease's events, in order, as "acquired N" and "lost N: reason". */
  private static final class Events implements LeaderLease.Listener {
    final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    @Override
    public void acquired(long epoch) {
      queue.add("acquired " + epoch);
    }

    @Override
    public void lost(long epoch, String reason) {
      queue.add("lost " + epoch + ": " + reason);
    }

    String next(Duration wait) throws InterruptedException {
      String event = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(event).as("an event within %s", wait).isNotNull();
      return event;
    }
  }

  @Test
  void migratesAnEmptyDatabaseOnceAndThenChangesNothing() {
    assertThat(db.database.migrate()).isEqualTo(1);
    assertThat(db.database.migrate()).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM information_schema.tables"
        + " WHERE table_name LIKE 'satellite_%' AND table_name <> 'satellite_schema_history'"))
        .isEqualTo(5);
    assertThat(db.queryLong("SELECT count(*) FROM satellite_schema_history WHERE success"))
        .isEqualTo(1);
  }

  @Test
  void aSecondHolderGetsTheLeaseOnlyOnceItExpired() throws Exception {
    Duration ttl = Duration.ofSeconds(3);
    PostgresLeaderLease first = lease(ttl, "first");
    PostgresLeaderLease second = lease(ttl, "second");
    long start = System.nanoTime();
    assertThat(first.tryAcquire()).hasValue(1);
    assertThat(second.tryAcquire()).as("not expired yet").isEmpty();

    OptionalLong taken = OptionalLong.empty();
    while (taken.isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
      Thread.sleep(50);
      taken = second.tryAcquire();
    }
    assertThat(taken).as("taken over once the first one's expiry passed").hasValue(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before the expiry")
        .isGreaterThanOrEqualTo(ttl);
    assertThat(first.heldEpoch()).as("not renewed: the first counts itself out").isEmpty();
  }

  @Test
  void aRunningHolderKeepsTheLeaseAndAStandbyTakesOverWhenItIsReleased() throws Exception {
    Duration ttl = Duration.ofSeconds(2);
    PostgresLeaderLease leader = lease(ttl, "leader");
    PostgresLeaderLease standby = lease(ttl, "standby");
    Events leaderEvents = new Events();
    Events standbyEvents = new Events();
    leader.start(leaderEvents);
    assertThat(leaderEvents.next(Duration.ofSeconds(5))).isEqualTo("acquired 1");
    standby.start(standbyEvents);

    Thread.sleep(ttl.toMillis() * 3); // renewed all along
    assertThat(standbyEvents.queue).isEmpty();
    assertThat(leader.heldEpoch()).hasValue(1);

    long closed = System.nanoTime();
    leader.close();
    assertThat(leaderEvents.next(Duration.ofSeconds(1))).isEqualTo("lost 1: closed");
    assertThat(standbyEvents.next(ttl)).isEqualTo("acquired 2");
    assertThat(Duration.ofNanos(System.nanoTime() - closed))
        .as("released: no wait for the expiry").isLessThan(ttl);
  }

  @Test
  void aHolderPausedPastItsLeaseCountsItselfOut() throws Exception {
    AtomicLong now = new AtomicLong();
    db.database.migrate();
    PostgresLeaderLease paused =
        new PostgresLeaderLease(db.database, NAME, "paused", Duration.ofSeconds(10), now::get);
    closing.add(paused);
    Events events = new Events();
    assertThat(paused.tryAcquire()).hasValue(1);
    paused.start(events);
    assertThat(paused.heldEpoch()).hasValue(1);

    now.addAndGet(Duration.ofSeconds(10).toNanos()); // no renewal was seen for a whole ttl
    assertThat(paused.heldEpoch()).isEmpty();
    assertThat(events.next(Duration.ofSeconds(2))).startsWith("lost 1: not renewed within");
    assertThatThrownBy(() -> JdbcStateStore.open(paused).save(SampleCheckpoints.minimal()))
        .isInstanceOf(StateStoreException.class).hasMessageContaining("does not hold the lease");
  }

  @Test
  void theFormerHoldersSaveIsRefusedByTheFenceAfterATakeover() throws Exception {
    PostgresLeaderLease former = lease(Duration.ofMinutes(5), "former");
    Events formerEvents = new Events();
    assertThat(former.tryAcquire()).hasValue(1);
    long acquiredUntil = expiresAtMicros();
    former.start(formerEvents);
    awaitFirstRenewal(acquiredUntil); // else a late first renewal could revive the expired lease
    JdbcStateStore formerStore = JdbcStateStore.open(former);
    formerStore.save(SampleCheckpoints.minimal());

    db.expireLease(NAME); // the former holder was paused past its lease
    PostgresLeaderLease successor = lease(Duration.ofMinutes(5), "successor");
    assertThat(successor.tryAcquire()).hasValue(2);
    JdbcStateStore successorStore = JdbcStateStore.open(successor);
    assertThat(successorStore.load()).contains(SampleCheckpoints.minimal());
    successorStore.save(SampleCheckpoints.rich());

    assertThat(former.heldEpoch()).as("the former still believes it holds the lease").hasValue(1);
    assertThatThrownBy(() -> formerStore.save(SampleCheckpoints.large(5, "stale")))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("epoch 1 refused by the fence")
        .hasMessageContaining("held by successor with epoch 2");
    assertThat(former.heldEpoch()).as("a fence refusal loses the lease").isEmpty();
    assertThat(formerEvents.next(Duration.ofSeconds(2))).startsWith("lost 1: checkpoint write");
    assertThat(successorStore.load()).contains(SampleCheckpoints.rich());
    assertThat(db.queryLong("SELECT epoch FROM satellite_checkpoint WHERE name = ?", NAME))
        .isEqualTo(2);
  }

  private long expiresAtMicros() {
    return db.queryLong("SELECT (extract(epoch FROM expires_at) * 1000000)::bigint"
        + " FROM satellite_lease WHERE name = ?", NAME);
  }

  /** Waits until the lease's renewal, which starts with the lease, moved its expiry on. */
  private void awaitFirstRenewal(long acquiredUntil) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (expiresAtMicros() <= acquiredUntil) {
      assertThat(System.nanoTime() - deadline).as("a renewal within 10 s").isNegative();
      Thread.sleep(10);
    }
  }

  @Test
  void aHolderThatLeadsAgainWritesWhatItSavedBeforeAgainOverItsSuccessorsCheckpoint() {
    PostgresLeaderLease a = lease(Duration.ofMinutes(5), "a");
    assertThat(a.tryAcquire()).hasValue(1);
    JdbcStateStore storeOfA = JdbcStateStore.open(a);
    storeOfA.save(SampleCheckpoints.minimal());

    db.expireLease(NAME);
    PostgresLeaderLease b = lease(Duration.ofMinutes(5), "b");
    assertThat(b.tryAcquire()).hasValue(2);
    JdbcStateStore.open(b).save(SampleCheckpoints.rich());
    b.close(); // released: a leads again, with a new epoch
    a.fencedOut(1, "test: a learned it lost the lease");
    assertThat(a.tryAcquire()).hasValue(3);

    storeOfA.save(SampleCheckpoints.minimal());
    assertThat(JdbcStateStore.open(db.database, NAME).load()).as("not skipped as already saved")
        .contains(SampleCheckpoints.minimal());
  }

  @Test
  void aStoreWithoutTheLeaseCannotWriteALeasedCheckpoint() {
    PostgresLeaderLease lease = lease(Duration.ofMinutes(5), "holder");
    assertThat(lease.tryAcquire()).hasValue(1);
    JdbcStateStore.open(lease).save(SampleCheckpoints.minimal());

    JdbcStateStore unfenced = JdbcStateStore.open(db.database, NAME);
    assertThatThrownBy(() -> unfenced.save(SampleCheckpoints.rich()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("a leader lease guards this checkpoint");
    assertThat(unfenced.load()).contains(SampleCheckpoints.minimal());
  }

  @Test
  void aSaveInFlightWhenTheDatabaseStopsFailsCleanlyAndTheNextOneSucceeds() throws Exception {
    JdbcStateStore store = JdbcStateStore.open(db.database, NAME);
    store.save(SampleCheckpoints.minimal());
    AtomicLong failedAfter = new AtomicLong(-1);
    List<Throwable> failures = new ArrayList<>();
    try (var blocker = db.connect()) {
      blocker.setAutoCommit(false);
      blocker.createStatement().execute("SELECT 1 FROM satellite_checkpoint FOR UPDATE");
      Thread saver = new Thread(() -> {
        try {
          store.save(SampleCheckpoints.large(20_000, "in-flight"));
        } catch (RuntimeException e) {
          failures.add(e);
          failedAfter.set(System.nanoTime());
        }
      });
      saver.start();
      Thread.sleep(500); // the save waits for the checkpoint row's lock
      assertThat(saver.isAlive()).as("the save is in flight").isTrue();
      db.server.stop();
      saver.join(30_000);
      assertThat(saver.isAlive()).isFalse();
    } catch (java.sql.SQLException closedByTheStop) {
      // the blocking connection was closed by the stop
    } finally {
      db.server.restart();
    }
    assertThat(failures).singleElement()
        .isInstanceOf(StateStoreException.class)
        .extracting(Throwable::getMessage).asString()
        .contains("save checkpoint " + NAME + " in " + db.url);

    assertThat(store.load()).as("the committed checkpoint is intact")
        .contains(SampleCheckpoints.minimal());
    store.save(SampleCheckpoints.rich());
    assertThat(JdbcStateStore.open(db.database, NAME).load()).contains(SampleCheckpoints.rich());
  }
}
