package dev.satellite.core;

import java.util.OptionalLong;

/**
 * The right to be the one satellite that works for a site, when two or more agents share one edge
 * registry and one checkpoint: the holder syncs, the others stand by and take over when the holder
 * dies or is cut off.
 *
 * <p><b>Protocol.</b> A lease has a holder, an expiry and an <em>epoch</em>, a number that grows
 * with every change of holder. The holder renews the lease before it expires; a standby acquires
 * it only once it has expired, and then with the next epoch. The epoch is a fencing token: every
 * checkpoint write of the holder carries it, and the store refuses a write whose epoch is older
 * than the newest one issued, so a holder that was paused or partitioned past its expiry can never
 * overwrite what its successor wrote, even when it does not know yet that it lost the lease.
 *
 * <p><b>Losing it.</b> A holder that could not renew by the time the lease may have expired, that
 * finds another holder, or whose write was refused by the fence has lost the lease: {@link
 * #heldEpoch()} is empty from that instant on, and the listener is told. It then competes again
 * as a standby. {@link #close()} gives a held lease up at once, so a standby takes over without
 * waiting for the expiry.
 *
 * <p>Implementations are thread-safe; listeners are called on one thread of the lease's own, one
 * event at a time, and must not block for long.
 */
public interface LeaderLease extends AutoCloseable {

  /** Told when this lease is acquired and when it is lost. */
  interface Listener {
    /** This lease is now held, with {@code epoch}. */
    void acquired(long epoch);

    /**
     * The lease held with {@code epoch} is lost ({@code reason} says why: taken over, not
     * renewed in time, a write refused by the fence, closed).
     */
    void lost(long epoch, String reason);
  }

  /** The name of what is leased (one site: the agents that share an edge share this name). */
  String name();

  /**
   * Starts competing for the lease in the background: acquiring it when it is free or expired,
   * renewing it while held, telling {@code listener} of each change.
   *
   * @throws IllegalStateException when started already, or closed
   */
  void start(Listener listener);

  /**
   * The epoch of the lease when this process holds it now (renewed recently enough that it cannot
   * have expired), empty otherwise.
   */
  OptionalLong heldEpoch();

  /** Stops competing and gives up the lease when held. Idempotent; does not throw. */
  @Override
  void close();
}
