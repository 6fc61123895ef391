package dev.satellite.core.internal;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupReport;
import dev.satellite.core.GroupReport.Status;
import dev.satellite.core.ReplicationResult;
import dev.satellite.core.SyncReport.Deferral;
import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.ResolvedTag;
import dev.satellite.core.SyncReport.RetainedTag;
import dev.satellite.core.TransferFigures;
import java.util.ArrayList;
import java.util.List;

/** The figures of one group during a pass. Thread-safe: entity workers count into it. */
public final class GroupTally {
  private final String ref;
  private Status status;
  private String error;
  private int replicated;
  private int unchanged;
  private int pruned;
  private TransferFigures transfer = TransferFigures.NONE;
  private int referrersCopied;
  private final List<Failure> failures = new ArrayList<>();
  private final List<RetainedTag> retained = new ArrayList<>();
  private final List<ResolvedTag> resolvedByTag = new ArrayList<>();
  private final List<Deferral> deferred = new ArrayList<>();

  GroupTally(String ref) {
    this.ref = ref;
  }

  public synchronized void copied(ReplicationResult result) {
    if (result.alreadyPresent()) {
      unchanged++;
    } else {
      replicated++;
    }
    transfer = transfer.plus(result.transfer());
  }

  public synchronized void referrersCopied(int count) {
    referrersCopied += count;
  }

  public synchronized void unchanged(int count) {
    unchanged += count;
  }

  public synchronized void failed(Failure failure) {
    failures.add(failure);
  }

  public synchronized void deferred(Entity entity, String reason) {
    deferred.add(new Deferral(ref, entity, reason));
  }

  public synchronized void pruned() {
    pruned++;
  }

  public synchronized void retained(Entity entity) {
    retained.add(new RetainedTag(ref, entity));
  }

  /** Counts {@code entity}, desired, as published without a digest and resolved by its tag. */
  public synchronized void resolvedByTag(Entity entity) {
    resolvedByTag.add(new ResolvedTag(ref, entity));
  }

  /** Marks the group's part of the pass as ended with {@code status}. */
  public synchronized void finish(Status status, String error) {
    this.status = status;
    this.error = error;
  }

  /** Marks the group interrupted unless its part of the pass had ended. */
  public synchronized void interruptIfUnfinished() {
    if (status == null) {
      status = Status.INTERRUPTED;
    }
  }

  synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }

  synchronized List<Deferral> deferrals() {
    return List.copyOf(deferred);
  }

  synchronized List<RetainedTag> retainedTags() {
    return List.copyOf(retained);
  }

  synchronized List<ResolvedTag> resolvedTags() {
    return List.copyOf(resolvedByTag);
  }

  public synchronized GroupReport report() {
    return GroupReport.builder(ref, status == null ? Status.INTERRUPTED : status)
        .replicated(replicated).unchanged(unchanged).pruned(pruned)
        .retained(retained.size()).failed(failures.size())
        .transfer(transfer).referrersCopied(referrersCopied).error(error)
        .build();
  }
}
