package dev.satellite.core;

/** How the removal of one entity that is no longer desired ended. */
public enum PruneOutcome {
  /** The manifest was deleted (no desired entity pointed at it), and with it its tags. */
  MANIFEST_DELETED,
  /** Only the tag was deleted: its manifest is still the digest of another desired tag. */
  TAG_DELETED,
  /**
   * The tag was left in place because its manifest is still desired under another tag and the edge
   * registry cannot delete a tag alone. A warning, not a failure; tried again next pass.
   */
  RETAINED,
  /** The registry refused or failed; the entity stays in the checkpoint and is retried. */
  FAILED
}
