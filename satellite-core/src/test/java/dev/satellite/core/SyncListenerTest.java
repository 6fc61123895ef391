package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events a {@link SyncListener} receives, and a listener that throws. */
class SyncListenerTest extends ReconcilerFixture {
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());


  private final SyncListener recording = new SyncListener() {
    @Override
    public void syncStarted() {
      events.add("syncStarted");
    }

    @Override
    public void groupStarted(String groupRef) {
      events.add("groupStarted " + groupRef);
    }

    @Override
    public void groupFinished(String groupRef, GroupReport report) {
      events.add("groupFinished " + groupRef + " replicated=" + report.replicated());
    }

    @Override
    public void entityStarted(String groupRef, Entity entity) {
      events.add("entityStarted " + entity.key());
    }

    @Override
    public void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {
      events.add("entityFinished " + entity.key() + " " + outcome);
    }

    @Override
    public void bytesCopied(Entity entity, long bytesSoFar) {
      events.add("bytesCopied " + entity.key() + " " + bytesSoFar);
    }

    @Override
    public void pruned(String groupRef, Entity entity, PruneOutcome outcome) {
      events.add("pruned " + entity.key() + " " + outcome);
    }

    @Override
    public void checkpointSaved(Checkpoint checkpoint) {
      events.add("checkpointSaved " + checkpoint.entityCount());
    }

    @Override
    public void syncFinished(SyncReport report) {
      events.add("syncFinished ok=" + report.ok());
    }
  };

  @Test
  void listenerReceivesEveryEventOfAPassInOrder() {
    source.group("g1", app1, app2);
    Reconciler reconciler = reconciler().listener(recording)
        .entityParallelism(1).build();
    reconciler.sync();
    events.clear();
    source.group("g1", app1);

    reconciler.sync();
    source.group("g1", app1, entity("library/app", "v3", 3));
    edge.failCopyOf(entity("library/app", "v3", 3));
    reconciler.sync();

    assertThat(events).containsExactly(
        "syncStarted", "groupStarted g1", "groupFinished g1 replicated=0",
        "pruned library/app:v2 MANIFEST_DELETED", "checkpointSaved 1", "syncFinished ok=true",
        "syncStarted", "groupStarted g1", "entityStarted library/app:v3",
        "entityFinished library/app:v3 FAILED", "groupFinished g1 replicated=0",
        "syncFinished ok=false");
  }

  @Test
  void bytesCopiedGivesTheRunningTotalOfTheEntity() {
    source.group("g1", app1);

    reconciler().listener(recording).build().sync();

    assertThat(events).containsSubsequence(
        "entityStarted library/app:v1",
        "bytesCopied library/app:v1 " + FakeReplicator.BYTES_PER_COPY / 2,
        "bytesCopied library/app:v1 " + FakeReplicator.BYTES_PER_COPY,
        "entityFinished library/app:v1 REPLICATED");
  }

  @Test
  void listenerThatThrowsDoesNotBreakTheSync() {
    source.group("g1", app1, app2);
    SyncListener throwing = new SyncListener() {
      @Override
      public void syncStarted() {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void bytesCopied(Entity entity, long bytesSoFar) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void checkpointSaved(Checkpoint checkpoint) {
        throw new IllegalStateException("listener bug");
      }
    };

    SyncReport report = reconciler().listener(throwing).build().sync();

    assertThat(report.ok()).isTrue();
    assertThat(report.replicated()).isEqualTo(2);
    assertThat(store.current().entityCount()).isEqualTo(2);
  }

  @Test
  void alreadyPresentEntityIsReportedAsSuch() {
    edge.preload(app1);
    source.group("g1", app1);

    reconciler().listener(recording).build().sync();

    assertThat(events).contains("entityFinished library/app:v1 ALREADY_PRESENT");
  }

  @Test
  void allTellsEachListenerInOrderEvenWhenAnEarlierOneThrows() {
    source.group("g1", app1);
    List<String> first = Collections.synchronizedList(new ArrayList<>());
    SyncListener throwingFirst = new SyncListener() {
      @Override
      public void syncStarted() {
        first.add("syncStarted");
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void syncFinished(SyncReport report) {
        first.add("syncFinished");
      }
    };

    reconciler().listener(SyncListener.all(throwingFirst, recording)).build().sync();

    assertThat(first).containsExactly("syncStarted", "syncFinished");
    assertThat(events).startsWith("syncStarted").contains("entityFinished library/app:v1 REPLICATED");
    assertThat(events.get(events.size() - 1)).startsWith("syncFinished");
  }
}
