package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.Operation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Copy rules of {@link Reconciler#sync()}: what is copied, what is skipped, what fails alone. */
class ReconcilerCopyTest extends ReconcilerFixture {

  @Test
  void copiesEveryDesiredEntityAndRecordsIt() {
    source.group("g1", app1, app2, web);

    SyncReport report = reconciler().build().sync();

    assertThat(report.ok()).isTrue();
    assertThat(report.replicated()).isEqualTo(3);
    assertThat(List.of(app1, app2, web)).allSatisfy(
        e -> assertThat(edge.digestAt(e)).contains(e.digest()));
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, app2, web);
  }

  @Test
  void reportCountsResumedBytesAndNamesRestartedUploadsOfItsCopies() {
    source.group("g1", app1).group("g2", app2, web);
    edge.resultOfEachCopy(ReplicationResult.builder().blobsUploaded(1).bytesCopied(300)
        .manifestsPushed(1).bytesResumed(700)
        .restartedUploads(List.of(
            "blob sha256:ab to edge/app: session forgotten; uploaded again from the spool"))
        .build());

    SyncReport report = reconciler().build().sync();

    assertThat(report.ok()).isTrue();
    assertThat(report.bytesCopied()).isEqualTo(900);
    assertThat(report.bytesResumed()).isEqualTo(2100);
    assertThat(report.restartedUploads()).hasSize(3)
        .allSatisfy(line -> assertThat(line).contains("session forgotten"));
    assertThat(report.groups().get(1).bytesResumed()).isEqualTo(1400);
  }

  @Test
  void entityKeyIsRepositoryPlusTagSoSameTagInTwoRepositoriesAreTwoEntities() {
    Entity a = entity("proj-a/app", "v1", 1);
    Entity b = entity("proj-b/app", "v1", 2);
    source.group("g1", a, b);

    reconciler().build().sync();

    assertThat(edge.digestAt(a)).contains(digest(1));
    assertThat(edge.digestAt(b)).contains(digest(2));
    assertThat(recorded("g1")).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void restartWithUnchangedUpstreamCallsTheReplicatorZeroTimes() {
    source.group("g1", app1, app2).group("g2", web);
    reconciler().build().sync();
    edge.forgetCalls();

    SyncReport afterRestart = reconciler().build().sync();

    assertThat(edge.calls()).isEmpty();
    assertThat(afterRestart.unchanged()).isEqualTo(3);
    assertThat(afterRestart.replicated()).isZero();
    assertThat(afterRestart.ok()).isTrue();
  }

  @Test
  void checkpointIsTrustedEvenWhenTheEdgeLostTheImage() {
    store.save(Checkpoint.EMPTY.withGroup("g1", List.of(app1)));
    source.group("g1", app1);

    SyncReport report = reconciler().build().sync();

    assertThat(edge.calls()).isEmpty();
    assertThat(report.unchanged()).isEqualTo(1);
  }

  @Test
  void entityAlreadyAtTheEdgeButNotInTheCheckpointCountsAsUnchangedAndIsRecorded() {
    edge.preload(app1);
    source.group("g1", app1);

    SyncReport report = reconciler().build().sync();

    assertThat(report.unchanged()).isEqualTo(1);
    assertThat(report.replicated()).isZero();
    assertThat(report.bytesCopied()).isZero();
    assertThat(recorded("g1")).containsExactly(app1);
  }

  @Test
  void failingEntityDoesNotStopTheOthers() {
    source.group("g1", app1, app2, web);
    edge.failCopyOf(app2);

    SyncReport report = reconciler().build().sync();

    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(edge.digestAt(web)).contains(web.digest());
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, web);
    assertThat(report.ok()).isFalse();
    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.repository()).isEqualTo("library/app");
      assertThat(failure.tag()).isEqualTo("v2");
      assertThat(failure.operation()).isEqualTo(Operation.REPLICATE);
      assertThat(failure.reason()).contains("500 Internal Server Error");
    });
  }

  @Test
  void anImageAPolicyRefusesIsAFailureOfItsOwnKindAndTheOthersAreCopied() {
    source.group("g1", app1, app2);
    edge.refuseCopyOf(app2);

    SyncReport report = reconciler().build().sync();

    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(edge.digestAt(app2)).isEmpty();
    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.operation()).isEqualTo(Operation.REFUSE);
      assertThat(failure.reason()).contains("signature policy: image").contains("is unsigned");
    });
    assertThat(report.toJson()).contains("\"operation\":\"refuse\"");
  }

  @Test
  void failedEntityIsRetriedNextPass() {
    source.group("g1", app1, app2);
    edge.failCopyOf(app2);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    edge.healCopies();
    edge.forgetCalls();

    SyncReport second = reconciler.sync();

    assertThat(edge.replicated()).containsExactly(app2);
    assertThat(second.ok()).isTrue();
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, app2);
  }

  @Test
  void rejectedEntryFailsOnlyThatEntryWithItsReason() {
    RejectedEntry bad = new RejectedEntry("Library/App", "v1", digest(9),
        "invalid repository name 'Library/App': must be lowercase");
    source.group("g1", List.of(app1, web), List.of(bad));

    SyncReport report = reconciler().build().sync();

    assertThat(report.failures()).containsExactly(new Failure("g1", "Library/App", "v1",
        Operation.VALIDATE, "invalid repository name 'Library/App': must be lowercase"));
    assertThat(report.replicated()).isEqualTo(2);
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, web);
  }

  @Test
  void invalidEntryForATagLeavesItsPreviousImageInPlace() {
    source.group("g1", app1, web);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    source.group("g1", List.of(web),
        List.of(new RejectedEntry("library/app", "v1", "sha256:nothex", "invalid digest")));

    reconciler.sync();

    assertThat(edge.deletes()).isEmpty();
    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, web);
  }

  @Test
  void tagGivenTwoDigestsInOneGroupFailsThatTagOnly() {
    source.group("g1", app1, entity("library/app", "v1", 7), web);

    SyncReport report = reconciler().build().sync();

    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.operation()).isEqualTo(Operation.VALIDATE);
      assertThat(failure.reason()).contains("library/app:v1").contains("more than one digest");
    });
    assertThat(edge.replicated()).containsExactly(web);
  }

  @Test
  void groupWithOneFailedMoveRecordsTheNineCopiedAndTheOldTenth() {
    List<Entity> before = new ArrayList<>();
    List<Entity> after = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      before.add(entity("library/app", "t" + i, 100 + i));
      after.add(entity("library/app", "t" + i, 200 + i));
    }
    source.group("g1", before.toArray(Entity[]::new));
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    source.group("g1", after.toArray(Entity[]::new));
    edge.failCopyOf(after.get(9));

    reconciler.sync();

    List<Entity> expected = new ArrayList<>(after.subList(0, 9));
    expected.add(before.get(9));
    assertThat(recorded("g1")).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void movedTagWhoseCopyFailsKeepsItsOldImage() {
    source.group("g1", app1);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    Entity moved = entity("library/app", "v1", 11);
    source.group("g1", moved);
    edge.failCopyOf(moved);

    reconciler.sync();

    assertThat(edge.deletes()).isEmpty();
    assertThat(edge.digestAt(app1)).contains(app1.digest());
  }

  @Test
  void groupWhoseStateCannotBeReadKeepsItsCheckpointAndIsNotPruned() {
    source.group("g1", app1).group("g2", web);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    source.unreadable("g2");

    SyncReport report = reconciler.sync();

    assertThat(edge.deletes()).isEmpty();
    assertThat(recorded("g2")).containsExactly(web);
    assertThat(report.ok()).isFalse();
    assertThat(report.groups()).filteredOn(g -> g.ref().equals("g2")).singleElement()
        .satisfies(group -> {
          assertThat(group.status()).isEqualTo(GroupReport.Status.FETCH_FAILED);
          assertThat(group.error()).hasValueSatisfying(e -> assertThat(e).contains("404"));
        });
  }

  @Test
  void satelliteStateFailureReportsNotOkAndChangesNothing() {
    source.group("g1", app1);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    int saves = store.saves().size();
    edge.forgetCalls();
    source.satelliteStateUnreadable(true);

    SyncReport report = reconciler.sync();

    assertThat(report.ok()).isFalse();
    assertThat(report.errors()).singleElement().asString()
        .startsWith("read satellite state").contains("503");
    assertThat(edge.calls()).isEmpty();
    assertThat(store.saves()).hasSize(saves);
    assertThat(recorded("g1")).containsExactly(app1);
  }

  @Test
  void copiesWithinAGroupRunInParallelUpToEntityParallelism() {
    List<Entity> many = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      many.add(entity("library/app", "t" + i, i + 1));
    }
    source.group("g1", many.toArray(Entity[]::new));
    edge.copyMillis(40);

    SyncReport report = reconciler().entityParallelism(3).build().sync();

    assertThat(report.replicated()).isEqualTo(8);
    assertThat(edge.maxInFlight.get()).isBetween(2, 3);
  }

  @Test
  void reportCountsBlobsAndBytesPerGroupAndInTotal() {
    source.group("g1", app1, app2).group("g2", web);

    SyncReport report = reconciler().build().sync();

    assertThat(report.bytesCopied()).isEqualTo(3 * FakeReplicator.BYTES_PER_COPY);
    assertThat(report.blobsUploaded()).isEqualTo(6);
    assertThat(report.blobsMounted()).isEqualTo(3);
    assertThat(report.blobsSkipped()).isEqualTo(3);
    assertThat(report.groups()).extracting(GroupReport::ref, GroupReport::replicated)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("g1", 2),
            org.assertj.core.groups.Tuple.tuple("g2", 1));
  }
}
