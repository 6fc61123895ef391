package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.SyncReport.Operation;
import dev.satellite.core.SyncReport.RetainedTag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prune rules of {@link Reconciler#sync()}: copy before prune, never delete what is desired. */
class ReconcilerPruneTest extends ReconcilerFixture {
  private final Reconciler reconciler = reconciler().build();


  @Test
  void removedTagIsPrunedByDeletingItsManifest() {
    source.group("g1", app1, app2);
    reconciler.sync();
    source.group("g1", app1);

    SyncReport report = reconciler.sync();

    assertThat(edge.deletes()).containsExactly("deleteManifest library/app@" + app2.digest());
    assertThat(edge.hasManifest("library/app", app2.digest())).isFalse();
    assertThat(recorded("g1")).containsExactly(app1);
    assertThat(report.pruned()).isEqualTo(1);
    assertThat(report.ok()).isTrue();
  }

  @Test
  void tagMovedToANewDigestIsCopiedFirstThenItsOldManifestPruned() {
    source.group("g1", app1);
    reconciler.sync();
    edge.forgetCalls();
    Entity moved = entity("library/app", "v1", 11);
    source.group("g1", moved);

    reconciler.sync();

    assertThat(edge.calls()).containsExactly(
        "replicate " + moved, "deleteManifest library/app@" + app1.digest());
    assertThat(edge.digestAt(moved)).contains(moved.digest());
    assertThat(recorded("g1")).containsExactly(moved);
  }

  @Test
  void removedTagSharingItsDigestWithADesiredTagDeletesOnlyTheTag() {
    Entity latest = entity("library/app", "latest", 1);
    source.group("g1", app1, latest);
    reconciler.sync();
    source.group("g1", app1);

    SyncReport report = reconciler.sync();

    assertThat(edge.deletes()).containsExactly("deleteTag library/app:latest");
    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(edge.digestAt(latest)).isEmpty();
    assertThat(report.pruned()).isEqualTo(1);
  }

  @Test
  void removedTagSharingItsDigestIsRetainedWhenTheRegistryCannotDeleteTags() {
    Entity latest = entity("library/app", "latest", 1);
    source.group("g1", app1, latest);
    reconciler.sync();
    source.group("g1", app1);
    edge.tagDeletes(false);

    SyncReport report = reconciler.sync();

    assertThat(edge.deletes()).doesNotContain("deleteManifest library/app@" + app1.digest());
    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(report.retainedTags()).containsExactly(new RetainedTag("g1", latest));
    assertThat(report.failed()).isZero();
    assertThat(report.ok()).isTrue();
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, latest);
  }

  @Test
  void removedGroupHasItsEntitiesPruned() {
    source.group("g1", app1).group("g2", web);
    reconciler.sync();
    source.follow("g1");

    SyncReport report = reconciler.sync();

    assertThat(edge.deletes()).containsExactly("deleteManifest library/web@" + web.digest());
    assertThat(store.current().groups()).containsOnlyKeys("g1");
    assertThat(report.groups()).filteredOn(g -> g.ref().equals("g2")).singleElement()
        .satisfies(group -> {
          assertThat(group.status()).isEqualTo(GroupReport.Status.REMOVED);
          assertThat(group.pruned()).isEqualTo(1);
        });
  }

  @Test
  void removedGroupNeverDeletesAManifestAnotherGroupDesires() {
    Entity latest = entity("library/app", "latest", 1);
    source.group("g1", app1).group("g2", app1, latest);
    reconciler.sync();
    source.follow("g1");

    reconciler.sync();

    assertThat(edge.deletes()).containsExactly("deleteTag library/app:latest");
    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(store.current().groups()).containsOnlyKeys("g1");
    assertThat(recorded("g1")).containsExactly(app1);
  }

  @Test
  void groupSwapWithTheSameCountPrunesTheLeftGroupAndCopiesTheNewOne() {
    source.group("g1", app1).group("g2", app2);
    reconciler.sync();
    source.group("g3", web).follow("g1", "g3");

    reconciler.sync();

    assertThat(store.current().groups()).containsOnlyKeys("g1", "g3");
    assertThat(recorded("g3")).containsExactly(web);
    assertThat(edge.hasManifest("library/app", app2.digest())).isFalse();
    assertThat(edge.digestAt(web)).contains(web.digest());
  }

  @Test
  void manifestWantedByAnEntityWhoseCopyFailedIsNotDeleted() {
    source.group("g1", app1);
    reconciler.sync();
    Entity sameImage = entity("library/app", "stable", 1);
    source.group("g1").group("g2", sameImage);
    edge.failCopyOf(sameImage);

    reconciler.sync();

    assertThat(edge.deletes()).containsExactly("deleteTag library/app:v1");
    assertThat(edge.hasManifest("library/app", app1.digest())).isTrue();
  }

  @Test
  void everyCopyOfThePassHappensBeforeAnyDelete() {
    source.group("g1", app1, app2).group("g2", web);
    reconciler.sync();
    edge.forgetCalls();
    source.group("g1", entity("library/app", "v1", 21))
        .group("g2", entity("library/web", "latest", 23), entity("library/web", "v9", 24));

    reconciler.sync();

    List<String> calls = edge.calls();
    int lastCopy = calls.stream().filter(c -> c.startsWith("replicate")).mapToInt(calls::indexOf)
        .max().orElseThrow();
    int firstDelete = calls.stream().filter(c -> c.startsWith("delete")).mapToInt(calls::indexOf)
        .min().orElseThrow();
    assertThat(lastCopy).isLessThan(firstDelete);
    assertThat(calls).filteredOn(c -> c.startsWith("delete")).hasSize(3);
  }

  @Test
  void failedPruneKeepsTheEntityInTheCheckpointAndIsRetried() {
    source.group("g1", app1, app2);
    reconciler.sync();
    source.group("g1", app1);
    edge.failDeleteOf("library/app", app2.digest());

    SyncReport failed = reconciler.sync();

    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, app2);
    assertThat(failed.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.operation()).isEqualTo(Operation.PRUNE);
      assertThat(failure.reason()).contains("405");
    });
    edge.healDeletes();
    SyncReport retried = reconciler.sync();
    assertThat(retried.pruned()).isEqualTo(1);
    assertThat(recorded("g1")).containsExactly(app1);
  }

  @Test
  void removedGroupWhosePruneFailedStaysInTheCheckpointUntilPruned() {
    source.group("g1", app1).group("g2", web);
    reconciler.sync();
    source.follow("g1");
    edge.failDeleteOf("library/web", web.digest());

    reconciler.sync();

    assertThat(recorded("g2")).containsExactly(web);
    edge.healDeletes();
    reconciler.sync();
    assertThat(store.current().groups()).containsOnlyKeys("g1");
  }

  @Test
  void tagHandedToAnotherGroupIsNotDeleted() {
    source.group("g1", app1, app2);
    reconciler.sync();
    source.group("g1", app2).group("g2", app1);

    reconciler.sync();

    assertThat(edge.deletes()).isEmpty();
    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(recorded("g1")).containsExactly(app2);
    assertThat(recorded("g2")).containsExactly(app1);
  }

  @Test
  void tagStillListedByAGroupWhoseStateCannotBeReadIsNotDeleted() {
    source.group("g1", app1).group("g2", app1);
    reconciler.sync();
    source.group("g1").unreadable("g2");

    reconciler.sync();

    assertThat(edge.deletes()).isEmpty();
    assertThat(edge.digestAt(app1)).contains(app1.digest());
  }

  @Test
  void tagTakenOverByAnotherGroupAtANewDigestKeepsItsOldImageUntilTheCopyLands() {
    source.group("g1", app1).group("g2", web);
    reconciler.sync();
    Entity moved = entity("library/app", "v1", 31);
    source.group("g1").group("g2", web, moved);
    edge.failCopyOf(moved);

    reconciler.sync();

    assertThat(edge.deletes()).isEmpty();
    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(recorded("g1")).containsExactly(app1);
  }
}
