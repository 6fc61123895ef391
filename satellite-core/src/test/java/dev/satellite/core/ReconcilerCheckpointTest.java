package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When and what {@link Reconciler#sync()} writes to the {@link StateStore}. */
class ReconcilerCheckpointTest extends ReconcilerFixture {

  @Test
  void newGroupIsFirstSavedAsPendingWithNothingInPlace() {
    source.group("g1", app1);

    reconciler().build().sync();

    assertThat(store.saves().get(0).groups()).isEqualTo(Map.of("g1", List.of()));
  }

  @Test
  void checkpointIsSavedAfterEachGroupFinishes() {
    source.group("g1", app1).group("g2", web);

    reconciler().build().sync();

    assertThat(store.saves()).extracting(Checkpoint::groups).containsExactly(
        Map.of("g1", List.of(), "g2", List.of()),
        Map.of("g1", List.of(app1), "g2", List.of()),
        Map.of("g1", List.of(app1), "g2", List.of(web)));
  }

  @Test
  void passThatChangesNothingWritesNothing() {
    source.group("g1", app1).group("g2", web);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    int saves = store.saves().size();

    SyncReport second = reconciler.sync();
    reconciler().build().sync();

    assertThat(store.saves()).hasSize(saves);
    assertThat(second.checkpointSaved()).isTrue();
  }

  @Test
  void checkpointInAnotherEntityOrderIsNotRewritten() {
    store.save(Checkpoint.EMPTY.withGroup("g1", List.of(web, app2, app1)));
    source.group("g1", app1, app2, web);

    reconciler().build().sync();

    assertThat(store.saves()).hasSize(1);
  }

  @Test
  void groupSwapWithTheSameCountIsSavedBeforeAnyCopy() {
    source.group("g1", app1).group("g2", app2);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    int before = store.saves().size();
    source.group("g3", web).follow("g1", "g3");

    reconciler.sync();

    Checkpoint firstOfPass = store.saves().get(before);
    assertThat(firstOfPass.groups()).isEqualTo(
        Map.of("g1", List.of(app1), "g2", List.of(app2), "g3", List.of()));
  }

  @Test
  void failedSaveIsReportedWithoutLosingThePassAndRetriedNextPass() {
    source.group("g1", app1, app2);
    store.failSaves(true);
    Reconciler reconciler = reconciler().build();

    SyncReport failed = reconciler.sync();

    assertThat(failed.checkpointSaved()).isFalse();
    assertThat(failed.ok()).isFalse();
    assertThat(failed.errors()).isNotEmpty()
        .allSatisfy(error -> assertThat(error).startsWith("save checkpoint: ").contains("disk full"));
    assertThat(failed.replicated()).isEqualTo(2);
    store.failSaves(false);
    edge.forgetCalls();
    SyncReport retried = reconciler.sync();
    assertThat(retried.checkpointSaved()).isTrue();
    assertThat(edge.calls()).isEmpty();
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, app2);
  }

  @Test
  void checkpointThatCannotBeLoadedIsReportedAndNothingIsTouched() {
    source.group("g1", app1);
    store.failLoads(true);

    SyncReport report = reconciler().build().sync();

    assertThat(report.ok()).isFalse();
    assertThat(report.checkpointSaved()).isFalse();
    assertThat(report.errors()).singleElement().asString().contains("disk error");
    assertThat(edge.calls()).isEmpty();
    assertThat(source.satelliteStateReads).hasValue(0);
  }

  @Test
  void crashDuringAPendingGroupResumesWithoutRecopyingWhatWasRecorded() {
    Entity[] first = {app1, app2, web};
    Entity[] second = {entity("team/a", "1", 11), entity("team/b", "1", 12),
        entity("team/c", "1", 13)};
    source.group("g1", first).group("g2", second);
    edge.crashAfterCopies(4);
    Reconciler crashing = reconciler().entityParallelism(1).build();
    assertThatThrownBy(crashing::sync).isInstanceOf(Error.class).hasMessageContaining("crash");
    Checkpoint atCrash = store.current();
    assertThat(atCrash.groups().get("g1")).containsExactlyInAnyOrder(first);
    List<Entity> notRecorded = new ArrayList<>(List.of(second));
    notRecorded.removeAll(atCrash.groups().get("g2"));
    edge.crashAfterCopies(Integer.MAX_VALUE);
    edge.forgetCalls();

    SyncReport resumed = reconciler().entityParallelism(1).build().sync();

    assertThat(edge.replicated()).containsExactlyInAnyOrderElementsOf(notRecorded);
    assertThat(resumed.ok()).isTrue();
    assertThat(resumed.replicated()).isEqualTo(2);
    assertThat(recorded("g2")).containsExactlyInAnyOrder(second);
  }

  @Test
  void removedGroupIsKeptInTheCheckpointUntilItsEntitiesArePruned() {
    source.group("g1", app1).group("g2", web);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    int before = store.saves().size();
    source.follow("g1");

    reconciler.sync();

    assertThat(store.saves().subList(before, store.saves().size()))
        .extracting(Checkpoint::groups)
        .containsExactly(Map.of("g1", List.of(app1)));
  }

  @Test
  void movedTagKeepsItsOldDigestRecordedUntilThePrune() {
    source.group("g1", app1);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    int before = store.saves().size();
    Entity moved = entity("library/app", "v1", 41);
    source.group("g1", moved);

    reconciler.sync();

    assertThat(store.saves().subList(before, store.saves().size()))
        .extracting(checkpoint -> checkpoint.groups().get("g1"))
        .containsExactly(List.of(app1, moved), List.of(moved));
  }

  @Test
  void configDigestIsKeptWhenTheSatelliteStateHasNoConfigAnyMore() {
    store.save(new Checkpoint(Optional.of(digest(77)), Map.of()));
    source.group("g1", app1);

    reconciler().configHandler((digest, config) -> {}).build().sync();

    assertThat(store.current().configDigest()).contains(digest(77));
  }
}
