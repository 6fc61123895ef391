package dev.satellite.core.internal;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.ReferrersResult;
import dev.satellite.core.TransferDeferredException;
import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.Operation;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The referrers half of an image's work in a pass ({@link
 * dev.satellite.core.Replicator#replicateReferrers}): once per image ({@code repository@digest})
 * and pass, after the image is in place (copied, found at the edge, or recorded in the
 * checkpoint), with the mark the checkpoint recorded for it. A success records the new mark; a
 * failure is reported against the entity that asked ({@link Operation#REFERRERS}) and forgets the
 * mark, so the next pass looks at the referrers in full. The image stays in place either way.
 * Referrers a link rule deferred (sync window closed, byte budget spent) are not a failure: their
 * mark is forgotten and the next pass copies them.
 */
final class ReferrerStep {
  private static final Logger log = LoggerFactory.getLogger(ReferrerStep.class);

  private final SyncSettings settings;
  private final CheckpointKeeper keeper;
  /** Numbers passes across every reconciler of the process, for {@code replicateReferrers}. */
  private static final AtomicLong PASSES = new AtomicLong();

  private final long pass;
  private final long passNumber = PASSES.incrementAndGet();
  private final Set<String> done = ConcurrentHashMap.newKeySet();

  ReferrerStep(SyncSettings settings, CheckpointKeeper keeper, long pass) {
    this.settings = settings;
    this.keeper = keeper;
    this.pass = pass;
  }

  /**
   * The first of {@code entities} for each image ({@code repository@digest}): the tags of one
   * image share its referrers, so only one of them needs a task (a warm pass of 1,000 tags of 100
   * images hands 100 tasks to the pool, not 1,000).
   */
  static List<Entity> oneTagPerImage(Collection<Entity> entities) {
    Map<String, Entity> first = new LinkedHashMap<>();
    for (Entity entity : entities) {
      first.putIfAbsent(Checkpoint.imageKey(entity.repository(), entity.digest()), entity);
    }
    return List.copyOf(first.values());
  }

  /** Copies the referrers of {@code entity}'s image unless another tag of it did this pass. */
  void run(String group, String sourceRegistry, Entity entity, GroupTally tally) {
    String key = Checkpoint.imageKey(entity.repository(), entity.digest());
    if (Thread.currentThread().isInterrupted() || !done.add(key)) {
      return;
    }
    Optional<ReferrersResult> result;
    try {
      result = settings.replicator().replicateReferrers(sourceRegistry, entity.repository(),
          entity.digest(), keeper.referrersMark(key), passNumber, bytes -> { });
    } catch (TransferDeferredException e) {
      log.debug("group {}: referrers of {} deferred: {}", group, key, e.getMessage());
      keeper.referrersMark(pass, key, Optional.empty());
      return;
    } catch (RuntimeException e) {
      String reason = Reasons.describe("copy referrers of " + key, e);
      log.debug("group {}: {}", group, reason);
      keeper.referrersMark(pass, key, Optional.empty());
      tally.failed(new Failure(group, entity.repository(), entity.tag(), Operation.REFERRERS,
          reason));
      return;
    }
    if (result != null && result.isPresent()) {
      keeper.referrersMark(pass, key, Optional.of(result.get().mark()));
      tally.referrersCopied(result.get().copied());
    }
  }
}
