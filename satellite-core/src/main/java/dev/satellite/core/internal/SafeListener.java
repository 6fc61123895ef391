package dev.satellite.core.internal;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.EntityOutcome;
import dev.satellite.core.GroupReport;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the application's {@link SyncListener} so that a listener that throws cannot break the
 * pass: the exception is logged as a warning and the pass goes on. Errors still propagate.
 */
public final class SafeListener implements SyncListener {
  private static final Logger log = LoggerFactory.getLogger(SafeListener.class);

  private final SyncListener delegate;

  public SafeListener(SyncListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void roleChanged(Role role, String reason) {
    call("roleChanged", () -> delegate.roleChanged(role, reason));
  }

  @Override
  public void syncStarted() {
    call("syncStarted", delegate::syncStarted);
  }

  @Override
  public void groupStarted(String groupRef) {
    call("groupStarted", () -> delegate.groupStarted(groupRef));
  }

  @Override
  public void groupFinished(String groupRef, GroupReport report) {
    call("groupFinished", () -> delegate.groupFinished(groupRef, report));
  }

  @Override
  public void entityStarted(String groupRef, Entity entity) {
    call("entityStarted", () -> delegate.entityStarted(groupRef, entity));
  }

  @Override
  public void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {
    call("entityFinished", () -> delegate.entityFinished(groupRef, entity, outcome));
  }

  @Override
  public void bytesCopied(Entity entity, long bytesSoFar) {
    call("bytesCopied", () -> delegate.bytesCopied(entity, bytesSoFar));
  }

  @Override
  public void pruned(String groupRef, Entity entity, PruneOutcome outcome) {
    call("pruned", () -> delegate.pruned(groupRef, entity, outcome));
  }

  @Override
  public void checkpointSaved(Checkpoint checkpoint) {
    call("checkpointSaved", () -> delegate.checkpointSaved(checkpoint));
  }

  @Override
  public void syncFinished(SyncReport report) {
    call("syncFinished", () -> delegate.syncFinished(report));
  }

  private void call(String event, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("sync listener {} failed on {}; the pass goes on", delegate.getClass().getName(),
          event, e);
    }
  }
}
