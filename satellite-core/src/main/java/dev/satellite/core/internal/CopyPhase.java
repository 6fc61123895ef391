package dev.satellite.core.internal;

import dev.satellite.core.Entity;
import dev.satellite.core.EntityOutcome;
import dev.satellite.core.GroupReport.Status;
import dev.satellite.core.GroupState;
import dev.satellite.core.PolicyRefusalException;
import dev.satellite.core.ReplicationResult;
import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.Operation;
import dev.satellite.core.TransferDeferredException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy half of a pass: reads each group state and puts its changed entities in place, up to
 * {@code groupParallelism} groups at a time and {@code entityParallelism} entities at a time within
 * a group. Each entity succeeds or fails on its own; an entity is recorded in the checkpoint keeper
 * the moment the replicator confirms it. The calling thread admits groups, and saves the checkpoint
 * as each group finishes, before admitting the next one.
 *
 * <p>Mount hints: before any copy, the replicator hears the repositories of every checkpoint
 * entity, and each group's desired repositories once its state is read and before its first copy
 * ({@link dev.satellite.core.Replicator#edgeRepositories}), so a fresh process can mount blobs
 * the edge already holds in other repositories instead of fetching them upstream again.
 *
 * <p>Group states are read ahead of their copies, {@link #STATE_READS_AHEAD} at a time ({@link
 * GroupStatePrefetch}), each once per pass, and all of them before the first copy: a tag that two
 * groups desire at different digests is copied for neither ({@link TagConflicts}).
 *
 * <p>The work runs on the reconciler's {@link SyncWorkers}, whose threads outlive the pass; none
 * of this pass's tasks does: {@link #run} returns once each has ended. When the calling thread is
 * interrupted, queued work is dropped, running workers are interrupted and awaited for at most the
 * cancel grace, and {@link InterruptedException} is thrown. An {@link Error} in a worker stops the
 * phase the same way and is rethrown.
 */
public final class CopyPhase {
  private static final Logger log = LoggerFactory.getLogger(CopyPhase.class);
  /** Group states read at the same time, ahead of their copies ({@link GroupStatePrefetch}). */
  static final int STATE_READS_AHEAD = 4;

  /** A checkpoint save moment on the calling thread. */
  @FunctionalInterface
  public interface SaveMoment {
    void save() throws InterruptedException;
  }

  private final SyncSettings settings;
  private final CheckpointKeeper keeper;
  private final long pass;
  private final PassTally tally;
  private final SaveMoment saveMoment;
  private final ReferrerStep referrers;
  private final Map<String, GroupPlan> plans = new ConcurrentHashMap<>();
  private final SyncWorkers.Pass workers;
  private GroupStatePrefetch groupStates;
  private TagConflicts conflicts;

  public CopyPhase(SyncSettings settings, SyncWorkers workers, CheckpointKeeper keeper, long pass,
      PassTally tally, SaveMoment saveMoment) {
    this.settings = settings;
    this.workers = workers.startPass();
    this.keeper = keeper;
    this.pass = pass;
    this.tally = tally;
    this.saveMoment = saveMoment;
    this.referrers = new ReferrerStep(settings, keeper, pass);
  }

  /**
   * Copies every group of {@code refs}; returns the plans of the groups whose state was read.
   *
   * @throws InterruptedException when the calling thread was interrupted; what landed is recorded
   */
  public Map<String, GroupPlan> run(List<String> refs) throws InterruptedException {
    refs.forEach(tally::group);
    hintEdgeRepositories("the checkpoint",
        keeper.snapshot().groups().values().stream().flatMap(List::stream));
    boolean finished = false;
    try {
      groupStates = new GroupStatePrefetch(
          settings.source(), refs, workers.on(SyncWorkers.Role.STATE));
      conflicts = TagConflicts.of(groupStates.awaitRead());
      CompletionService<String> completions =
          new ExecutorCompletionService<>(workers.executor(SyncWorkers.Role.GROUP));
      Iterator<String> waiting = refs.iterator();
      int running = 0;
      while (running < settings.groupParallelism() && waiting.hasNext()) {
        submit(completions, waiting.next());
        running++;
      }
      while (running > 0) {
        String ref = result(completions.take());
        running--;
        saveMoment.save();
        settings.listener().groupFinished(ref, tally.group(ref).report());
        if (waiting.hasNext()) {
          submit(completions, waiting.next());
          running++;
        }
      }
      finished = true;
      return plans;
    } finally {
      workers.end(finished, settings.cancelGrace());
    }
  }

  private void submit(CompletionService<String> completions, String ref) {
    completions.submit(() -> copyGroup(ref), ref);
  }

  private void copyGroup(String ref) {
    GroupTally groupTally = tally.group(ref);
    settings.listener().groupStarted(ref);
    GroupState state;
    try {
      state = groupStates.get(ref);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      if (!Thread.currentThread().isInterrupted()) {
        String message = Reasons.describe("read group state " + ref, e);
        log.debug("{}; its checkpoint entries are kept", message);
        groupTally.finish(Status.FETCH_FAILED, message);
        tally.error(message);
      }
      return;
    }
    GroupPlan plan = GroupPlan.of(ref, state, keeper.entities(ref), conflicts);
    plans.put(ref, plan);
    groupTally.unchanged(plan.unchanged().size());
    plan.invalid().forEach(groupTally::failed);
    noteResolvedByTag(ref, state, plan, groupTally);
    if (!plan.toCopy().isEmpty()) {
      hintEdgeRepositories("group " + ref, plan.desired().stream());
    }
    Semaphore window = new Semaphore(settings.entityParallelism());
    List<Future<?>> copies = new ArrayList<>();
    try {
      for (Entity entity : plan.toCopy()) {
        copies.add(submit(window, () -> copyEntity(plan, entity, groupTally)));
      }
      for (Entity entity : ReferrerStep.oneTagPerImage(plan.unchanged())) {
        copies.add(submit(window,
            () -> referrers.run(ref, plan.sourceRegistry(), entity, groupTally)));
      }
      for (Future<?> copy : copies) {
        result(copy);
      }
    } catch (InterruptedException | RejectedExecutionException e) {
      copies.forEach(copy -> copy.cancel(true));
      Thread.currentThread().interrupt();
      return;
    }
    groupTally.finish(Status.SYNCED, null);
  }

  /** Runs {@code work} on the entity pool once {@code window} has room. */
  private Future<?> submit(Semaphore window, Runnable work) throws InterruptedException {
    window.acquire();
    return workers.submit(SyncWorkers.Role.ENTITY, () -> {
      try {
        work.run();
      } finally {
        window.release();
      }
      return null;
    });
  }

  /**
   * Counts the group's desired entities whose digest the source looked up by tag, and warns that
   * they were not pinned: the group state does not say which image it means, the source's tag did.
   */
  private static void noteResolvedByTag(
      String ref, GroupState state, GroupPlan plan, GroupTally groupTally) {
    List<Entity> resolved =
        state.resolvedByTag().stream().filter(plan.desired()::contains).toList();
    if (resolved.isEmpty()) {
      return;
    }
    resolved.forEach(groupTally::resolvedByTag);
    log.warn("group {}: {} entries have no valid digest and were not pinned; copying what their"
            + " tags point at in {} now: {}", ref, resolved.size(), state.sourceRegistry(),
        abbreviated(resolved));
  }

  /** The first ten entities, and how many more there are. */
  private static String abbreviated(List<Entity> entities) {
    String shown = entities.stream().limit(10).map(Entity::toString)
        .collect(Collectors.joining(", "));
    return entities.size() <= 10 ? shown : shown + " and " + (entities.size() - 10) + " more";
  }

  /**
   * Tells the replicator which edge repositories may hold blobs (see {@link
   * dev.satellite.core.Replicator#edgeRepositories}); a failing hint is logged and ignored.
   */
  private void hintEdgeRepositories(String from, Stream<Entity> entities) {
    Set<String> repositories =
        entities.map(Entity::repository).collect(Collectors.toCollection(LinkedHashSet::new));
    if (repositories.isEmpty()) {
      return;
    }
    try {
      settings.replicator().edgeRepositories(Collections.unmodifiableSet(repositories));
    } catch (RuntimeException e) {
      log.warn("ignoring failed edge repository hint ({} repositories of {}): {}",
          repositories.size(), from, Reasons.describe(e));
    }
  }

  private void copyEntity(GroupPlan plan, Entity entity, GroupTally groupTally) {
    if (Thread.currentThread().isInterrupted()) {
      return;
    }
    String ref = plan.ref();
    settings.listener().entityStarted(ref, entity);
    AtomicLong soFar = new AtomicLong();
    ReplicationResult result;
    try {
      result = settings.replicator().replicate(plan.sourceRegistry(), entity,
          bytes -> settings.listener().bytesCopied(entity, soFar.addAndGet(bytes)));
    } catch (TransferDeferredException e) {
      log.debug("group {}: {} deferred: {}", ref, entity, e.getMessage());
      groupTally.deferred(entity, e.getMessage());
      settings.listener().entityFinished(ref, entity, EntityOutcome.DEFERRED);
      return;
    } catch (RuntimeException e) {
      String reason = Reasons.describe("copy " + entity, e);
      log.debug("group {}: {} failed: {}", ref, entity, reason);
      groupTally.failed(new Failure(ref, entity.repository(), entity.tag(),
          e instanceof PolicyRefusalException ? Operation.REFUSE : Operation.REPLICATE, reason));
      settings.listener().entityFinished(ref, entity, EntityOutcome.FAILED);
      return;
    }
    Objects.requireNonNull(result, () -> "Replicator.replicate returned null for " + entity);
    keeper.add(pass, ref, entity);
    groupTally.copied(result);
    log.debug("group {}: {} {} ({} bytes)", ref, entity,
        result.alreadyPresent() ? "already present" : "replicated", result.bytesCopied());
    settings.listener().entityFinished(ref, entity,
        result.alreadyPresent() ? EntityOutcome.ALREADY_PRESENT : EntityOutcome.REPLICATED);
    referrers.run(ref, plan.sourceRegistry(), entity, groupTally);
  }

  /** The value of a finished task; a worker's Error or RuntimeException is rethrown as is. */
  static <T> T result(Future<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("sync worker failed", cause);
    }
  }
}
