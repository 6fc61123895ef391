package dev.satellite.core;

import dev.satellite.core.internal.ListenerGroup;
import java.util.List;

/**
 * Progress and events of {@link Reconciler#sync()} passes, for progress bars, metrics and audit
 * logs. Every method has a no-op default; implement the ones you need.
 *
 * <p>Methods are called from the thread that called {@code sync()} and from the reconciler's
 * worker threads, possibly at the same time: implementations must be thread-safe and quick (they
 * run inline with the copy). A listener that throws does not break the pass: the exception is
 * logged and the pass goes on.
 */
public interface SyncListener {

  /**
   * One listener that tells each of {@code listeners} of every event, in this order. One that
   * throws is logged and does not keep the others from hearing of the event.
   */
  static SyncListener all(SyncListener... listeners) {
    return new ListenerGroup(List.of(listeners));
  }

  /** What a satellite that shares its site with others under a {@link LeaderLease} does now. */
  enum Role {
    /** It holds the lease: it syncs, heartbeats and writes the checkpoint. */
    LEADER,
    /** Another agent holds the lease: it does no pass and touches neither edge nor checkpoint. */
    STANDBY
  }

  /**
   * The satellite became {@code role} ({@code reason} says why: lease acquired, taken over, not
   * renewed in time, a write refused by the fence, closed). Only satellites with a {@link
   * LeaderLease} have roles; the first call tells the role they start in.
   */
  default void roleChanged(Role role, String reason) {}

  /** A pass has begun. */
  default void syncStarted() {}

  /** Work on {@code groupRef} has begun: its group state is about to be read. */
  default void groupStarted(String groupRef) {}

  /**
   * The copies of {@code groupRef} are done (pruning happens later, once every group's copies are
   * done). {@code report} holds the group's copy figures; the final figures, pruning included, are
   * in the {@link SyncReport} given to {@link #syncFinished}.
   */
  default void groupFinished(String groupRef, GroupReport report) {}

  /** The reconciler is about to put {@code entity} of {@code groupRef} in place at the edge. */
  default void entityStarted(String groupRef, Entity entity) {}

  /**
   * Work on {@code entity} ended with {@code outcome}; for {@link EntityOutcome#FAILED} the reason
   * is in the pass's {@link SyncReport#failures()}.
   */
  default void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {}

  /** {@code bytesSoFar} blob bytes of {@code entity} have been copied in this pass. */
  default void bytesCopied(Entity entity, long bytesSoFar) {}

  /** The prune of {@code entity}, no longer desired, ended with {@code outcome}. */
  default void pruned(String groupRef, Entity entity, PruneOutcome outcome) {}

  /** {@code checkpoint} was durably saved to the {@link StateStore}. */
  default void checkpointSaved(Checkpoint checkpoint) {}

  /** The pass is over (normally, after a failure or after an interrupt). */
  default void syncFinished(SyncReport report) {}
}
