package dev.satellite.core.internal;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.EntityOutcome;
import dev.satellite.core.GroupReport;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import java.util.List;

/**
 * Tells several listeners of every event, in the order given; each is called through a {@link
 * SafeListener}, so one that throws neither breaks the pass nor keeps the next from hearing of it.
 */
public final class ListenerGroup implements SyncListener {
  private final List<SyncListener> listeners;

  public ListenerGroup(List<SyncListener> listeners) {
    this.listeners = listeners.stream().<SyncListener>map(SafeListener::new).toList();
  }

  @Override
  public void roleChanged(Role role, String reason) {
    listeners.forEach(l -> l.roleChanged(role, reason));
  }

  @Override
  public void syncStarted() {
    listeners.forEach(SyncListener::syncStarted);
  }

  @Override
  public void groupStarted(String groupRef) {
    listeners.forEach(l -> l.groupStarted(groupRef));
  }

  @Override
  public void groupFinished(String groupRef, GroupReport report) {
    listeners.forEach(l -> l.groupFinished(groupRef, report));
  }

  @Override
  public void entityStarted(String groupRef, Entity entity) {
    listeners.forEach(l -> l.entityStarted(groupRef, entity));
  }

  @Override
  public void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {
    listeners.forEach(l -> l.entityFinished(groupRef, entity, outcome));
  }

  @Override
  public void bytesCopied(Entity entity, long bytesSoFar) {
    listeners.forEach(l -> l.bytesCopied(entity, bytesSoFar));
  }

  @Override
  public void pruned(String groupRef, Entity entity, PruneOutcome outcome) {
    listeners.forEach(l -> l.pruned(groupRef, entity, outcome));
  }

  @Override
  public void checkpointSaved(Checkpoint checkpoint) {
    listeners.forEach(l -> l.checkpointSaved(checkpoint));
  }

  @Override
  public void syncFinished(SyncReport report) {
    listeners.forEach(l -> l.syncFinished(report));
  }
}
