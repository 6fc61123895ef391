package dev.satellite.core;

/**
 * An image refused by a rule the replicator was given, not by a failure: its signature does not
 * verify with the trusted keys, or it has none. Nothing of the image was tagged at the edge.
 *
 * <p>A {@link Replicator} throws it from {@link Replicator#replicate}; the {@link Reconciler}
 * reports the entity as failed with {@link SyncReport.Operation#REFUSE} (this message as the
 * reason), so audit logs and alerts can tell a refusal from a broken copy, and tries it again next
 * pass (a signature may be published later).
 */
public class PolicyRefusalException extends SatelliteException {
  private static final long serialVersionUID = 1L;

  /** @param reason what the policy refused and why, naming the image */
  public PolicyRefusalException(String reason) {
    super(reason);
  }

  /** The same refusal, its message prefixed with what was being done ({@code context}). */
  public PolicyRefusalException(String context, PolicyRefusalException cause) {
    super(context + ": " + cause.getMessage(), cause);
  }
}
