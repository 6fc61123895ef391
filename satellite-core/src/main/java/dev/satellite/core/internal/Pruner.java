package dev.satellite.core.internal;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.Operation;
import dev.satellite.core.internal.PrunePlan.Candidate;
import dev.satellite.core.internal.PrunePlan.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prune half of a pass: carries out a {@link PrunePlan} against the edge, on the calling
 * thread. A protected manifest is never deleted: a removed tag whose manifest is protected is
 * deleted alone ({@code Replicator.deleteTag}), or <em>retained</em> when the registry cannot;
 * each unprotected manifest is deleted once, for every candidate pointing at it. An entity leaves
 * the checkpoint keeper only after the edge confirmed its removal; a failed removal keeps it, so
 * the next pass retries.
 */
public final class Pruner {
  private static final Logger log = LoggerFactory.getLogger(Pruner.class);

  private final SyncSettings settings;
  private final CheckpointKeeper keeper;
  private final PassTally tally;

  public Pruner(SyncSettings settings, CheckpointKeeper keeper, PassTally tally) {
    this.settings = settings;
    this.keeper = keeper;
    this.tally = tally;
  }

  /**
   * Prunes what {@code plan} allows.
   *
   * @return false when the calling thread was interrupted before the prune was done
   */
  public boolean run(PrunePlan plan) {
    plan.drops().forEach(drop -> keeper.remove(drop.group(), drop.entity()));
    Map<PrunePlan.Manifest, List<Candidate>> manifests = new LinkedHashMap<>();
    for (Candidate candidate : plan.candidates()) {
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
      if (!plan.isProtected(candidate.entity())) {
        manifests
            .computeIfAbsent(PrunePlan.manifest(candidate.entity()), key -> new ArrayList<>())
            .add(candidate);
      } else if (candidate.kind() == Kind.MOVED) {
        keeper.remove(candidate.group(), candidate.entity());
      } else {
        deleteTag(candidate);
      }
    }
    for (List<Candidate> sharing : manifests.values()) {
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
      deleteManifest(sharing, plan);
    }
    return true;
  }

  private void deleteTag(Candidate candidate) {
    Entity entity = candidate.entity();
    boolean deleted;
    try {
      deleted = settings.replicator().deleteTag(entity.repository(), entity.tag());
    } catch (RuntimeException e) {
      failed(candidate, Reasons.describe("delete tag " + entity.key(), e));
      return;
    }
    if (deleted) {
      removed(candidate, PruneOutcome.TAG_DELETED);
    } else {
      log.debug("group {}: {} is no longer desired but kept: its manifest is still desired under "
          + "another tag and the edge registry cannot delete a tag alone", candidate.group(),
          entity);
      tally.group(candidate.group()).retained(entity);
      settings.listener().pruned(candidate.group(), entity, PruneOutcome.RETAINED);
    }
  }

  /**
   * Deletes the manifest the candidates share, its referrers first (those still desired as
   * images of the repository stay), and forgets its referrers mark.
   */
  private void deleteManifest(List<Candidate> sharing, PrunePlan plan) {
    Entity first = sharing.get(0).entity();
    try {
      settings.replicator().deleteReferrers(first.repository(), first.digest(),
          digest -> plan.isProtected(new Entity(first.repository(), first.tag(), digest)));
      keeper.forgetReferrers(Checkpoint.imageKey(first.repository(), first.digest()));
      settings.replicator().deleteManifest(first.repository(), first.digest());
    } catch (RuntimeException e) {
      String reason = Reasons.describe("delete manifest " + PrunePlan.manifest(first), e);
      sharing.forEach(candidate -> failed(candidate, reason));
      return;
    }
    sharing.forEach(candidate -> removed(candidate, PruneOutcome.MANIFEST_DELETED));
  }

  private void removed(Candidate candidate, PruneOutcome outcome) {
    keeper.remove(candidate.group(), candidate.entity());
    tally.group(candidate.group()).pruned();
    log.debug("group {}: pruned {} ({})", candidate.group(), candidate.entity(), outcome);
    settings.listener().pruned(candidate.group(), candidate.entity(), outcome);
  }

  private void failed(Candidate candidate, String reason) {
    Entity entity = candidate.entity();
    log.debug("group {}: prune of {} failed: {}", candidate.group(), entity, reason);
    tally.group(candidate.group())
        .failed(new Failure(candidate.group(), entity.repository(), entity.tag(),
            Operation.PRUNE, reason));
    settings.listener().pruned(candidate.group(), entity, PruneOutcome.FAILED);
  }
}
