package dev.satellite.core;

/**
 * A copy left for later on purpose, by a rule of the link rather than a failure: the sync window
 * closed, or the pass's byte budget would be exceeded. Nothing was tagged: the image's manifest is
 * pushed only after all its blobs are in place, so an entity cut short here is either wholly absent
 * under its tag or still at its previous digest. Blobs already placed stay at the edge (and an
 * upload stopped at a chunk boundary stays in the upload journal), so the next attempt continues
 * from there.
 *
 * <p>A {@link Replicator} throws it from {@link Replicator#replicate}; the {@link Reconciler}
 * reports the entity as {@linkplain EntityOutcome#DEFERRED deferred} (with this message as the
 * reason), not as failed, does not record it in the checkpoint, and tries it again next pass.
 */
public class TransferDeferredException extends SatelliteException {
  private static final long serialVersionUID = 1L;

  /** @param reason why the transfer was left for later, e.g. "outside the sync windows 22:00-06:00" */
  public TransferDeferredException(String reason) {
    super(reason);
  }

  /** The same deferral, its message prefixed with what was being done ({@code context}). */
  public TransferDeferredException(String context, TransferDeferredException cause) {
    super(context + ": " + cause.getMessage(), cause);
  }
}
