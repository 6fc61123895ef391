package dev.satellite.core;

import java.util.Objects;

/**
 * A {@link SyncListener} that passes every event on to another one; extend it and override the
 * events to act on (calling {@code super} to pass them on too).
 */
public abstract class ForwardingSyncListener implements SyncListener {
  private final SyncListener next;

  /** @param next told of every event; {@code null} for none */
  protected ForwardingSyncListener(SyncListener next) {
    this.next = next != null ? next : new SyncListener() {};
  }

  @Override
  public void syncStarted() {
    next.syncStarted();
  }

  @Override
  public void groupStarted(String groupRef) {
    next.groupStarted(groupRef);
  }

  @Override
  public void groupFinished(String groupRef, GroupReport report) {
    next.groupFinished(groupRef, report);
  }

  @Override
  public void entityStarted(String groupRef, Entity entity) {
    next.entityStarted(groupRef, entity);
  }

  @Override
  public void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {
    next.entityFinished(groupRef, entity, outcome);
  }

  @Override
  public void bytesCopied(Entity entity, long bytesSoFar) {
    next.bytesCopied(entity, bytesSoFar);
  }

  @Override
  public void pruned(String groupRef, Entity entity, PruneOutcome outcome) {
    next.pruned(groupRef, entity, outcome);
  }

  @Override
  public void checkpointSaved(Checkpoint checkpoint) {
    next.checkpointSaved(checkpoint);
  }

  @Override
  public void syncFinished(SyncReport report) {
    next.syncFinished(report);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + next + "]";
  }
}
