package dev.satellite.core.internal;

import dev.satellite.core.GroupReport.Status;
import dev.satellite.core.OciGrammar;
import dev.satellite.core.SatelliteState;
import dev.satellite.core.SyncReport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the reconciler, in order: load the baseline (first pass only), read the satellite
 * state, apply a changed config, record the group set, copy every group ({@link CopyPhase}), then
 * prune ({@link PrunePlan}, {@link Pruner}) and save. Saves happen on the calling thread, with its
 * interrupt flag cleared (a store writing through an interruptible channel would otherwise fail),
 * and only when the content changed.
 *
 * <p>An interrupt stops the pass at the next step; pruning is skipped; what landed is saved; the
 * flag is set again before {@link #run} returns. An {@link Error} propagates without a save, as a
 * crash would.
 */
public final class SyncPass {
  private static final Logger log = LoggerFactory.getLogger(SyncPass.class);

  private final SyncSettings settings;
  private final Supplier<CheckpointKeeper> baseline;
  private final SyncWorkers workers;
  private final PassTally tally = new PassTally();
  private CheckpointKeeper keeper;
  private boolean stateRead;

  /**
   * @param baseline gives the keeper holding what is in place; it may load it from the store
   * @param workers the reconciler's threads the copies run on
   */
  public SyncPass(
      SyncSettings settings, Supplier<CheckpointKeeper> baseline, SyncWorkers workers) {
    this.settings = settings;
    this.baseline = baseline;
    this.workers = workers;
  }

  public SyncReport run() {
    Instant startedAt = settings.clock().instant();
    long bytesAtStart = settings.meter().bytesRead();
    settings.listener().syncStarted();
    try {
      keeper = baseline.get();
    } catch (RuntimeException e) {
      boolean interrupted = Thread.interrupted();
      if (!interrupted) {
        error(Reasons.describe("load checkpoint", e));
      }
      SyncReport report = finish(startedAt, bytesAtStart, interrupted, false);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return report;
    }
    boolean interrupted = false;
    long pass = keeper.beginPass();
    try {
      steps(pass);
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      keeper.endPass();
    }
    interrupted |= Thread.interrupted();
    if (interrupted) {
      tally.interruptUnfinishedGroups();
    }
    if (stateRead) {
      keeper.saveIfChanged(settings.listener()::checkpointSaved, this::error);
    }
    SyncReport report = finish(startedAt, bytesAtStart, interrupted, keeper.isSaved());
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return report;
  }

  private void steps(long pass) throws InterruptedException {
    SatelliteState state;
    try {
      state = Objects.requireNonNull(settings.source().fetchSatelliteState(),
          "StateSource.fetchSatelliteState returned null");
    } catch (RuntimeException e) {
      stopIfInterrupted();
      error(Reasons.describe("read satellite state", e));
      return;
    }
    stateRead = true;
    stopIfInterrupted();
    applyConfig(state);
    List<String> refs = state.groupRefs().stream().distinct().toList();
    Set<String> removed = new LinkedHashSet<>(keeper.groupRefs());
    refs.forEach(removed::remove);
    refs.forEach(keeper::addPendingGroup);
    save();
    Map<String, GroupPlan> plans = new CopyPhase(settings, workers, keeper, pass, tally, this::save)
        .run(refs);
    removed.forEach(ref -> tally.group(ref).finish(Status.REMOVED, null));
    Set<String> unread = new HashSet<>(refs);
    unread.removeAll(plans.keySet());
    PrunePlan prunePlan = PrunePlan.of(keeper.snapshot().groups(), plans, unread);
    if (!new Pruner(settings, keeper, tally).run(prunePlan)) {
      throw new InterruptedException();
    }
    removed.forEach(keeper::removeGroupIfEmpty);
  }

  /**
   * Hands a changed config to the handler, then records its digest. Any failure is reported and
   * leaves the previous digest, so the config is offered again next pass.
   */
  private void applyConfig(SatelliteState state) throws InterruptedException {
    if (settings.configHandler() == null || state.configRef().isEmpty()) {
      return;
    }
    String ref = state.configRef().get();
    String digest;
    byte[] config;
    try {
      digest = OciGrammar.requireDigest(settings.source().configDigest(ref));
      if (keeper.configDigest().equals(Optional.of(digest))) {
        return;
      }
      config = Objects.requireNonNull(settings.source().fetchConfig(ref),
          () -> "StateSource.fetchConfig returned null for " + ref);
    } catch (RuntimeException e) {
      stopIfInterrupted();
      error(Reasons.describe("read config state " + ref, e));
      return;
    }
    try {
      settings.configHandler().configChanged(digest, config);
    } catch (RuntimeException e) {
      stopIfInterrupted();
      error("config handler failed on " + ref + " (" + digest + "): " + Reasons.describe(e));
      return;
    }
    keeper.configDigest(digest);
    log.debug("config {} applied ({}, {} bytes)", ref, digest, config.length);
    save();
  }

  /** A save moment: saves if changed, with the interrupt flag cleared, then honours the flag. */
  private void save() throws InterruptedException {
    boolean interrupted = Thread.interrupted();
    keeper.saveIfChanged(settings.listener()::checkpointSaved, this::error);
    if (interrupted) {
      throw new InterruptedException();
    }
  }

  private static void stopIfInterrupted() throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException();
    }
  }

  /** The pass's upstream bytes, handed to the meter for its running total; a failing meter is reported. */
  private void meter(long bytesAtStart) {
    try {
      long passBytes = Math.max(0, settings.meter().bytesRead() - bytesAtStart);
      tally.metered(passBytes, settings.meter().passEnded(passBytes));
    } catch (RuntimeException e) {
      error(Reasons.describe("count upstream bytes", e));
    }
  }

  private void error(String message) {
    log.debug(message);
    tally.error(message);
  }

  private SyncReport finish(
      Instant startedAt, long bytesAtStart, boolean interrupted, boolean saved) {
    meter(bytesAtStart);
    Duration duration = Duration.between(startedAt, settings.clock().instant());
    SyncReport report = tally.report(startedAt, duration, interrupted, saved);
    log.debug("sync pass {} in {} ms: {} groups, {} replicated, {} unchanged, {} pruned, "
            + "{} retained, {} failed, {} deferred, {} errors, {} bytes copied, {} bytes read"
            + " upstream, checkpoint {}",
        report.ok() ? "ok" : interrupted ? "interrupted" : "incomplete", duration.toMillis(),
        report.groups().size(), report.replicated(), report.unchanged(), report.pruned(),
        report.retained(), report.failed(), report.deferred().size(), report.errors().size(),
        report.bytesCopied(), report.upstreamBytes(), saved ? "saved" : "NOT saved");
    settings.listener().syncFinished(report);
    return report;
  }
}
