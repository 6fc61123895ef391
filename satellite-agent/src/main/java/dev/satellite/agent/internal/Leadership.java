package dev.satellite.agent.internal;

import dev.satellite.core.LeaderLease;
import dev.satellite.core.Reconciler;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncListener.Role;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The role of a satellite that shares its site with others under a {@link LeaderLease}, and what
 * changes with it.
 *
 * <ul>
 *   <li>It starts as a {@link Role#STANDBY standby}: no pass ({@link Passes} asks the lease before
 *       each), no heartbeat (the fleet link asks too), nothing written to the edge or the
 *       checkpoint.
 *   <li><b>Acquired</b>: it becomes {@link Role#LEADER leader}, the reconciler is told to start
 *       from the shared checkpoint (a successor may have written it since this satellite last
 *       led), and a pass starts at once instead of at the end of the pass interval.
 *   <li><b>Lost</b> (taken over, not renewed in time, a checkpoint write refused by the fence): it
 *       steps down at once: the pass in progress is interrupted (its closing save is refused, as
 *       the lease is no longer held), and the satellite is a standby again, competing for the
 *       lease.
 * </ul>
 *
 * <p>The listener hears each role, the first one ({@code STANDBY}) when {@link #start} is called.
 * Events come from the lease's thread, one at a time.
 */
public final class Leadership implements LeaderLease.Listener {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  private final LeaderLease lease;
  private final Reconciler reconciler;
  private final Passes passes;
  private final SyncListener listener;
  private volatile Role role = Role.STANDBY;

  /** @param listener the application's listener, or null */
  public Leadership(LeaderLease lease, Reconciler reconciler, Passes passes,
      SyncListener listener) {
    this.lease = Objects.requireNonNull(lease, "lease");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.passes = Objects.requireNonNull(passes, "passes");
    this.listener = listener;
  }

  /** Starts competing for the lease; the satellite is a standby until it holds it. */
  public void start() {
    tell(Role.STANDBY, "competing for the lease " + lease.name());
    lease.start(this);
  }

  /** Whether this satellite may run a pass now: it holds the lease. */
  public boolean leading() {
    return lease.heldEpoch().isPresent();
  }

  /** The role now. */
  public Role role() {
    return role;
  }

  @Override
  public void acquired(long epoch) {
    reconciler.reloadCheckpointNextPass();
    role = Role.LEADER;
    log.info("leader of {} (epoch {}): syncing from the shared checkpoint", lease.name(), epoch);
    tell(Role.LEADER, "lease " + lease.name() + " acquired with epoch " + epoch);
    passes.runSoon();
  }

  @Override
  public void lost(long epoch, String reason) {
    role = Role.STANDBY;
    passes.interruptPasses();
    reconciler.reloadCheckpointNextPass();
    log.warn("no longer leader of {} (epoch {}): {}; standing by", lease.name(), epoch, reason);
    tell(Role.STANDBY, reason);
  }

  private void tell(Role now, String reason) {
    Optional.ofNullable(listener).ifPresent(l -> {
      try {
        l.roleChanged(now, reason);
      } catch (RuntimeException e) {
        log.warn("the listener failed on roleChanged({}): {}", now, e.toString(), e);
      }
    });
  }
}
