package dev.satellite.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.StateStore;
import dev.satellite.core.StateStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} promises, as tests: extend this class, say how to open a store on
 * the test's storage and how the store keeps a second writer out, and the store runs every test
 * here.
 *
 * <ul>
 *   <li><b>Round trip</b>: every field of a {@link Checkpoint} (config digest or none, groups in
 *       order, an empty group, entities in order, sha256 and sha512 digests, referrer marks) comes
 *       back {@linkplain Checkpoint#equals equal}; the empty checkpoint too; a load before the
 *       first save is empty.
 *   <li><b>Atomic replacement</b>: a save replaces the whole checkpoint (what the new one lacks is
 *       gone); a reader that loads while saves go on sees an old or a new checkpoint, never a mix.
 *   <li><b>Durability</b>, for stores that keep the checkpoint outside themselves: a store opened
 *       after the first one closed loads what it saved.
 *   <li><b>One writer</b>, in the store's own way ({@link Exclusivity}).
 *   <li><b>Damage</b>, where the storage can be damaged from outside: a damaged checkpoint is
 *       never served; load is empty (the bad copy kept) or fails with a {@link
 *       StateStoreException}; the next save works.
 *   <li><b>Outage</b>, where the storage can be made to fail: a save that fails throws a {@link
 *       StateStoreException} and leaves the previous checkpoint intact; once the storage is back,
 *       the next save works.
 * </ul>
 *
 * <p>Every store the kit {@linkplain #open opens} is closed after each test.
 */
public abstract class StateStoreContract {
  /** How a store keeps a second writer out of its storage. */
  public enum Exclusivity {
    /** It does not: the application must make sure there is one writer. */
    NONE,
    /** A second store on the same storage fails to open while the first is open. */
    SECOND_OPEN_REFUSED,
    /**
     * A second store may open and take over; from then on the first one's saves are refused
     * (fencing), so it can never overwrite what its successor wrote.
     */
    FIRST_FENCED_OUT
  }

  /** Makes the storage fail and come back, for the outage test. */
  public interface Outage {
    /** From now on, the storage fails (the disk is full, the database is down, ...). */
    void begin();

    /** The storage works again. */
    void end();
  }

  private final List<StateStore> opened = new ArrayList<>();

  /**
   * A store over this test's storage. Each call opens a new store over the same storage; a store
   * that is its own storage (in memory) returns the same instance each time and says {@link
   * #durable()} false.
   */
  protected abstract StateStore openStore();

  /** How this store keeps a second writer out. */
  protected abstract Exclusivity exclusivity();

  /** Whether a store opened after another closed loads what that one saved (default true). */
  protected boolean durable() {
    return true;
  }

  /**
   * Damages the stored checkpoint from outside the store (a changed byte, a value no checkpoint
   * can hold), as a failing disk or a hand edit would. The default skips the damage test.
   */
  protected void damage() {
    Assumptions.abort(getClass().getSimpleName() + " has no storage to damage");
  }

  /**
   * Checks that the store kept the damaged checkpoint somewhere for inspection, after a load
   * that came back empty. The default checks nothing.
   */
  protected void assertBadCopyKept() {}

  /** Makes the storage fail on demand; the default skips the outage test. */
  protected Outage outage() {
    Assumptions.abort(getClass().getSimpleName() + " has no storage that can fail on demand");
    return null;
  }

  /** Opens a store and remembers it, to close it after the test. */
  protected final StateStore open() {
    StateStore store = openStore();
    if (!opened.contains(store)) {
      opened.add(store);
    }
    return store;
  }

  @AfterEach
  final void closeStores() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    opened.clear();
  }

  @Test
  void loadsNothingBeforeTheFirstSave() {
    assertThat(open().load()).isEmpty();
  }

  @Test
  void roundTripsEveryField() {
    StateStore store = open();
    Checkpoint rich = SampleCheckpoints.rich();
    store.save(rich);

    Checkpoint loaded = store.load().orElseThrow();
    assertThat(loaded).isEqualTo(rich);
    assertThat(List.copyOf(loaded.groups().keySet()))
        .as("groups in the order saved")
        .containsExactlyElementsOf(rich.groups().keySet());
    assertThat(loaded.referrers()).isEqualTo(rich.referrers());
  }

  @Test
  void roundTripsACheckpointWithoutConfigDigestOrMarks() {
    StateStore store = open();
    store.save(SampleCheckpoints.minimal());

    assertThat(store.load()).contains(SampleCheckpoints.minimal());
  }

  @Test
  void roundTripsTheEmptyCheckpoint() {
    StateStore store = open();
    store.save(SampleCheckpoints.rich());
    store.save(Checkpoint.EMPTY);

    assertThat(store.load()).as("saved empty is not the same as never saved")
        .contains(Checkpoint.EMPTY);
  }

  @Test
  void roundTripsTenThousandEntities() {
    StateStore store = open();
    Checkpoint large = SampleCheckpoints.large(10_000, "a");
    store.save(large);

    assertThat(store.load()).contains(large);
  }

  @Test
  void aSaveReplacesTheWholeCheckpoint() {
    StateStore store = open();
    store.save(SampleCheckpoints.rich());
    Checkpoint smaller = SampleCheckpoints.rich()
        .withoutGroup(SampleCheckpoints.GROUP_PREFIX + "alpha/state:latest")
        .withConfigDigest(Optional.empty());
    smaller = new Checkpoint(smaller.configDigest(), smaller.groups(), Map.of());
    store.save(smaller);

    assertThat(store.load()).contains(smaller);
  }

  @Test
  void savingTheSameCheckpointTwiceKeepsIt() {
    StateStore store = open();
    store.save(SampleCheckpoints.rich());
    store.save(SampleCheckpoints.rich());

    assertThat(store.load()).contains(SampleCheckpoints.rich());
  }

  @Test
  void aStoreOpenedLaterLoadsWhatTheFirstSaved() {
    Assumptions.assumeTrue(durable(), "the store keeps its checkpoint in itself");
    StateStore first = open();
    first.save(SampleCheckpoints.rich());
    first.close();
    opened.remove(first);

    assertThat(open().load()).contains(SampleCheckpoints.rich());
  }

  @Test
  void loadsSeeTheOldOrTheNewCheckpointNeverAMix() throws Exception {
    StateStore store = open();
    Checkpoint a = SampleCheckpoints.large(2_000, "a");
    Checkpoint b = SampleCheckpoints.large(1_500, "b");
    store.save(a);
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService saver = Executors.newSingleThreadExecutor();
    try {
      Future<?> saves = saver.submit(() -> {
        try {
          for (int i = 0; i < 20; i++) {
            store.save(i % 2 == 0 ? b : a);
          }
        } finally {
          done.set(true);
        }
      });
      int loads = 0;
      while (!done.get() || loads == 0) {
        Checkpoint seen = store.load().orElseThrow();
        assertThat(seen.equals(a) || seen.equals(b))
            .as("load %d returned a checkpoint that is neither of the two saved", loads).isTrue();
        loads++;
      }
      saves.get(60, TimeUnit.SECONDS);
    } finally {
      saver.shutdownNow();
    }
    assertThat(store.load()).contains(a);
  }

  @Test
  void aSecondWriterIsKeptOut() {
    Exclusivity exclusivity = exclusivity();
    Assumptions.assumeFalse(exclusivity == Exclusivity.NONE,
        "the store leaves one writer to the application");
    StateStore first = open();
    first.save(SampleCheckpoints.minimal());
    if (exclusivity == Exclusivity.SECOND_OPEN_REFUSED) {
      assertThatThrownBy(this::openStore).isInstanceOf(StateStoreException.class);
      first.close();
      opened.remove(first);
      StateStore second = open();
      second.save(SampleCheckpoints.rich());
      assertThat(second.load()).contains(SampleCheckpoints.rich());
    } else {
      StateStore successor = open();
      successor.save(SampleCheckpoints.rich());

      assertThatThrownBy(() -> first.save(SampleCheckpoints.large(10, "late")))
          .isInstanceOf(StateStoreException.class);
      assertThat(successor.load()).contains(SampleCheckpoints.rich());
    }
  }

  @Test
  void aDamagedCheckpointIsNeverServed() {
    StateStore store = open();
    store.save(SampleCheckpoints.rich());
    store.close();
    opened.remove(store);
    damage();

    StateStore reopened = open();
    Optional<Checkpoint> loaded;
    try {
      loaded = reopened.load();
    } catch (StateStoreException refused) {
      loaded = Optional.empty();
    }
    assertThat(loaded).as("a damaged checkpoint is not served").isEmpty();
    assertBadCopyKept();
    reopened.save(SampleCheckpoints.minimal());
    assertThat(reopened.load()).contains(SampleCheckpoints.minimal());
  }

  @Test
  void aSaveThatFailsLeavesThePreviousCheckpoint() {
    Outage outage = outage();
    StateStore store = open();
    store.save(SampleCheckpoints.minimal());
    outage.begin();
    try {
      assertThatThrownBy(() -> store.save(SampleCheckpoints.rich()))
          .isInstanceOf(StateStoreException.class);
    } finally {
      outage.end();
    }

    assertThat(store.load()).contains(SampleCheckpoints.minimal());
    store.save(SampleCheckpoints.rich());
    assertThat(store.load()).contains(SampleCheckpoints.rich());
  }
}
