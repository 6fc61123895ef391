package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's referrers step: once per image and pass, after the image is in place, with the
 * mark last recorded; a failure is reported and retried, never fails the image.
 */
class ReconcilerReferrersTest extends ReconcilerFixture {
  private final ReferrerEdge referrers = new ReferrerEdge();
  private final Reconciler reconciler = reconciler().replicator(referrers).build();

  /** The fake edge, copying referrers as a script says and recording what it was asked. */
  private final class ReferrerEdge implements Replicator {
    final List<String> calls = new ArrayList<>();
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicBoolean deferring = new AtomicBoolean();
    final List<Long> passes = new ArrayList<>();

    @Override
    public ReplicationResult replicate(String sourceRegistry, Entity entity,
        ReplicationProgress progress) {
      return edge.replicate(sourceRegistry, entity, progress);
    }

    @Override
    public synchronized Optional<ReferrersResult> replicateReferrers(String sourceRegistry,
        String repository, String digest, Optional<String> recorded, long pass,
        ReplicationProgress progress) {
      calls.add(repository + "@" + digest + " recorded=" + recorded.orElse("-"));
      passes.add(pass);
      if (deferring.get()) {
        throw new TransferDeferredException("sync window 22:00-06:00 is closed");
      }
      if (failing.get()) {
        throw new SatelliteException("referrer sha256:ff of " + digest + " refused: 500");
      }
      return Optional.of(recorded.isPresent()
          ? new ReferrersResult(0, recorded.get(), true)
          : new ReferrersResult(2, "mark-of-" + digest.substring(7, 12), false));
    }

    @Override
    public void deleteManifest(String repository, String digest) {
      edge.deleteManifest(repository, digest);
    }

    @Override
    public boolean deleteTag(String repository, String tag) {
      return edge.deleteTag(repository, tag);
    }

    @Override
    public synchronized void deleteReferrers(String repository, String digest,
        Predicate<String> stillDesired) {
      calls.add("deleteReferrers " + repository + "@" + digest
          + " keeps " + app1.digest() + "=" + stillDesired.test(app1.digest()));
    }
  }

  @Test
  void referrersFollowEachImageOnceAndTheirMarkIsRecorded() {
    Entity app1Latest = new Entity("library/app", "latest", app1.digest());
    source.group("g1", app1, app1Latest, web);

    SyncReport report = reconciler.sync();

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(report.referrersCopied()).isEqualTo(4);
    assertThat(report.toJson()).contains("\"referrersCopied\":4");
    assertThat(referrers.calls).containsExactlyInAnyOrder(
        "library/app@" + app1.digest() + " recorded=-",
        "library/web@" + web.digest() + " recorded=-");
    assertThat(store.current().referrers()).containsOnlyKeys(
        "library/app@" + app1.digest(), "library/web@" + web.digest());
  }

  @Test
  void aWarmPassHandsBackTheRecordedMarkOfUnchangedImages() {
    source.group("g1", app1);
    reconciler.sync();
    referrers.calls.clear();

    SyncReport warm = reconciler.sync();

    assertThat(warm.unchanged()).isEqualTo(1);
    assertThat(warm.referrersCopied()).isZero();
    assertThat(referrers.calls).containsExactly(
        "library/app@" + app1.digest() + " recorded=mark-of-" + app1.digest().substring(7, 12));
    assertThat(referrers.passes.get(1)).isNotEqualTo(referrers.passes.get(0));
  }

  @Test
  void aWarmPassAsksOncePerImageHoweverManyTagsItHas() {
    Entity app1Latest = new Entity("library/app", "latest", app1.digest());
    Entity app1Stable = new Entity("library/app", "stable", app1.digest());
    source.group("g1", app1, web, app1Latest, app1Stable);
    reconciler.sync();
    referrers.calls.clear();

    SyncReport warm = reconciler.sync();

    assertThat(warm.unchanged()).isEqualTo(4);
    assertThat(referrers.calls).containsExactlyInAnyOrder(
        "library/app@" + app1.digest() + " recorded=mark-of-" + app1.digest().substring(7, 12),
        "library/web@" + web.digest() + " recorded=mark-of-" + web.digest().substring(7, 12));
  }

  @Test
  void aFailedReferrerCopyIsReportedButTheImageStaysInPlaceAndIsRetriedInFull() {
    source.group("g1", app1);
    referrers.failing.set(true);

    SyncReport failed = reconciler.sync();

    assertThat(failed.replicated()).isEqualTo(1);
    assertThat(recorded("g1")).containsExactly(app1);
    assertThat(failed.ok()).isFalse();
    assertThat(failed.failures()).singleElement().satisfies(f -> {
      assertThat(f.operation()).isEqualTo(SyncReport.Operation.REFERRERS);
      assertThat(f.tag()).isEqualTo("v1");
      assertThat(f.reason()).contains("referrer sha256:ff of " + app1.digest() + " refused");
    });
    assertThat(failed.toJson()).contains("\"operation\":\"referrers\"");
    assertThat(store.current().referrers()).isEmpty();

    referrers.failing.set(false);
    referrers.calls.clear();
    SyncReport retried = reconciler.sync();

    assertThat(retried.ok()).as(retried.toJson()).isTrue();
    assertThat(referrers.calls).containsExactly("library/app@" + app1.digest() + " recorded=-");
    assertThat(retried.referrersCopied()).isEqualTo(2);
  }

  @Test
  void referrersALinkRuleDefersAreNotAFailureAndAreCopiedNextPass() {
    source.group("g1", app1);
    referrers.deferring.set(true);

    SyncReport deferred = reconciler.sync();

    assertThat(deferred.failures()).isEmpty();
    assertThat(deferred.replicated()).isEqualTo(1);
    assertThat(store.current().referrers()).isEmpty();

    referrers.deferring.set(false);
    referrers.calls.clear();
    reconciler.sync();

    assertThat(referrers.calls).containsExactly("library/app@" + app1.digest() + " recorded=-");
  }

  @Test
  void aPrunedImageHasItsReferrersDeletedFirstAndItsMarkForgotten() {
    source.group("g1", app1, app2);
    reconciler.sync();
    source.group("g1", app1);

    SyncReport report = reconciler.sync();

    assertThat(report.pruned()).isEqualTo(1);
    assertThat(referrers.calls).contains("deleteReferrers library/app@" + app2.digest()
        + " keeps " + app1.digest() + "=true");
    assertThat(store.current().referrers()).containsOnlyKeys("library/app@" + app1.digest());
    assertThat(Set.copyOf(edge.deletes()))
        .containsExactly("deleteManifest library/app@" + app2.digest());
  }
}
