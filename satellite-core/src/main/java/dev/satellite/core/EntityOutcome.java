package dev.satellite.core;

/** How the work on one desired entity ended in a pass. */
public enum EntityOutcome {
  /** The image was copied to the edge and the tag now resolves to the desired digest. */
  REPLICATED,
  /** The edge already had the tag at the desired digest; nothing was copied. */
  ALREADY_PRESENT,
  /** The entity is not in place; the reason is in the {@link SyncReport}. Retried next pass. */
  FAILED,
  /**
   * The copy was left for later by a rule of the link (sync window closed, byte budget spent; see
   * {@link TransferDeferredException}): not a failure, nothing tagged. Listed in {@link
   * SyncReport#deferred()} with the reason; tried again next pass.
   */
  DEFERRED
}
