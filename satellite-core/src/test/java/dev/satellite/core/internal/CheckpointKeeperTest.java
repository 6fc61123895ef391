package dev.satellite.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.StateStore;
import dev.satellite.core.StateStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckpointKeeperTest {
  private static final Entity A = new Entity("library/a", "v1", "sha256:" + "a".repeat(64));
  private static final Entity B = new Entity("library/b", "v1", "sha256:" + "b".repeat(64));

  private final List<Checkpoint> saved = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  @Test
  void groupSwapWithTheSameCountIsAChangeAndIsSaved() {
    InMemoryStateStore store = new InMemoryStateStore();
    Checkpoint before = new Checkpoint(Optional.empty(), Map.of("g1", List.of(A), "g2", List.of(B)));
    CheckpointKeeper keeper = new CheckpointKeeper(store, Optional.of(before));
    keeper.remove("g2", B);
    keeper.removeGroupIfEmpty("g2");
    keeper.add(keeper.beginPass(), "g3", B);

    boolean ok = keeper.saveIfChanged(saved::add, errors::add);

    assertThat(ok).isTrue();
    assertThat(store.saveCount()).isEqualTo(1);
    assertThat(store.load().orElseThrow().groups()).containsOnlyKeys("g1", "g3");
  }

  @Test
  void sameEntitiesInAnotherOrderAreNotAChange() {
    InMemoryStateStore store = new InMemoryStateStore();
    Checkpoint before = new Checkpoint(Optional.empty(), Map.of("g1", List.of(B, A)));
    CheckpointKeeper keeper = new CheckpointKeeper(store, Optional.of(before));
    keeper.add(keeper.beginPass(), "g1", A);

    keeper.saveIfChanged(saved::add, errors::add);

    assertThat(store.saveCount()).isZero();
    assertThat(saved).isEmpty();
  }

  @Test
  void aChangeUndoneBeforeTheSaveMomentIsNotSaved() {
    InMemoryStateStore store = new InMemoryStateStore();
    Checkpoint before = new Checkpoint(Optional.empty(), Map.of("g1", List.of(A)));
    CheckpointKeeper keeper = new CheckpointKeeper(store, Optional.of(before));
    keeper.add(keeper.beginPass(), "g1", B);
    keeper.remove("g1", B);

    assertThat(keeper.saveIfChanged(saved::add, errors::add)).isTrue();

    assertThat(store.saveCount()).isZero();
    assertThat(keeper.isSaved()).isTrue();
  }

  @Test
  void anEntityAddedAfterASaveIsSavedAtTheNextMoment() {
    InMemoryStateStore store = new InMemoryStateStore();
    CheckpointKeeper keeper = new CheckpointKeeper(store, Optional.empty());
    long pass = keeper.beginPass();
    keeper.add(pass, "g1", A);
    keeper.saveIfChanged(saved::add, errors::add);
    keeper.add(pass, "g1", B);

    keeper.saveIfChanged(saved::add, errors::add);

    assertThat(store.saveCount()).isEqualTo(2);
    assertThat(store.load().orElseThrow().groups().get("g1")).containsExactly(A, B);
  }

  @Test
  void anEntityRemovedAfterASaveIsSavedAtTheNextMoment() {
    InMemoryStateStore store = new InMemoryStateStore();
    Checkpoint before = new Checkpoint(Optional.empty(), Map.of("g1", List.of(A, B)));
    CheckpointKeeper keeper = new CheckpointKeeper(store, Optional.of(before));
    keeper.remove("g1", B);

    assertThat(keeper.isSaved()).isFalse();
    keeper.saveIfChanged(saved::add, errors::add);

    assertThat(store.load().orElseThrow().groups().get("g1")).containsExactly(A);
    assertThat(keeper.isSaved()).isTrue();
  }

  @Test
  void writeOfAnEndedPassIsIgnored() {
    CheckpointKeeper keeper = new CheckpointKeeper(new InMemoryStateStore(), Optional.empty());
    long pass = keeper.beginPass();
    keeper.endPass();

    keeper.add(pass, "g1", A);

    assertThat(keeper.snapshot().entityCount()).isZero();
  }

  @Test
  void failedSaveIsReportedAndRetriedAtTheNextSaveMoment() {
    boolean[] fail = {true};
    InMemoryStateStore memory = new InMemoryStateStore();
    StateStore flaky = new StateStore() {
      @Override
      public Optional<Checkpoint> load() {
        return memory.load();
      }

      @Override
      public void save(Checkpoint checkpoint) {
        if (fail[0]) {
          throw new StateStoreException("write /data/state.json: No space left on device");
        }
        memory.save(checkpoint);
      }

      @Override
      public void close() {}
    };
    CheckpointKeeper keeper = new CheckpointKeeper(flaky, Optional.empty());
    keeper.add(keeper.beginPass(), "g1", A);

    assertThat(keeper.saveIfChanged(saved::add, errors::add)).isFalse();
    assertThat(keeper.isSaved()).isFalse();
    fail[0] = false;
    assertThat(keeper.saveIfChanged(saved::add, errors::add)).isTrue();

    assertThat(errors).containsExactly(
        "save checkpoint: write /data/state.json: No space left on device");
    assertThat(saved).singleElement().extracting(Checkpoint::entityCount).isEqualTo(1);
    assertThat(keeper.isSaved()).isTrue();
  }

  @Test
  void emptyStateWithNothingStoredNeedsNoSave() {
    InMemoryStateStore store = new InMemoryStateStore();
    CheckpointKeeper keeper = new CheckpointKeeper(store, Optional.empty());

    assertThat(keeper.saveIfChanged(saved::add, errors::add)).isTrue();

    assertThat(store.saveCount()).isZero();
  }
}
