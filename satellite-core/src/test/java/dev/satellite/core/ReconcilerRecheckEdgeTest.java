package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** After {@link Reconciler#recheckEdgeNextPass()}, the checkpoint is not trusted for one pass. */
class ReconcilerRecheckEdgeTest extends ReconcilerFixture {

  @Test
  void nextPassChecksEveryDesiredEntityAtTheEdgeAndPrunesNothingItDidNotConfirm() {
    source.group("g1", app1, web);
    Reconciler reconciler = reconciler().build();
    assertThat(reconciler.sync().ok()).isTrue();
    source.group("g1", app1);
    edge.forgetCalls();

    reconciler.recheckEdgeNextPass();
    SyncReport report = reconciler.sync();

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(edge.calls()).as("app1 is checked at the edge again; web, no longer desired, was"
        + " not confirmed there, so it is not deleted").anyMatch(call -> call.contains("library/app"))
        .noneMatch(call -> call.startsWith("delete"));
    assertThat(report.unchanged()).isEqualTo(1);
    assertThat(recorded("g1")).containsExactly(app1);

    edge.forgetCalls();
    reconciler.sync();
    assertThat(edge.calls()).as("the pass after trusts the checkpoint again").isEmpty();
  }

  @Test
  void aNewEdgeGenerationRechecksOncePerChangeAsThePassStarts() {
    source.group("g1", app1);
    AtomicLong generation = new AtomicLong(7);
    Reconciler reconciler = reconciler().edgeGeneration(generation::get).build();
    reconciler.sync();
    edge.forgetCalls();
    reconciler.sync();
    assertThat(edge.calls()).as("the generation the reconciler was built with is not a change")
        .isEmpty();

    generation.incrementAndGet();
    reconciler.sync();
    assertThat(edge.calls()).as("the edge changed: app1 is checked there again")
        .anyMatch(call -> call.contains("library/app"));

    edge.forgetCalls();
    reconciler.sync();
    assertThat(edge.calls()).as("one recheck per change").isEmpty();
  }

  @Test
  void configDigestIsKept() {
    source.group("g1", app1).config("c", "sha256:" + "c".repeat(64), "{}".getBytes());
    Reconciler reconciler = reconciler().configHandler((digest, body) -> { }).build();
    reconciler.sync();

    reconciler.recheckEdgeNextPass();
    reconciler.sync();

    assertThat(store.current().configDigest()).contains("sha256:" + "c".repeat(64));
    assertThat(source.configReads.get()).isEqualTo(1);
  }
}
