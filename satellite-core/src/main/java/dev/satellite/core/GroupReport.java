package dev.satellite.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one pass did for one group. Counts are entities (one per tag) unless named blobs or bytes.
 *
 * @param ref the group state reference, as listed in the satellite state (or, for a removed group,
 *     as recorded in the checkpoint)
 * @param status how the group's part of the pass ended
 * @param replicated entities copied to the edge
 * @param unchanged desired entities already in place (per the checkpoint, or found at the edge)
 * @param pruned entities no longer desired that were removed from the edge
 * @param retained tags no longer desired that were left in place because their manifest is still
 *     desired under another tag and the registry cannot delete a tag alone (a warning)
 * @param failed entities that failed: copy, invalid entry, or prune; listed in the report
 * @param blobsUploaded blobs streamed from the source to the edge
 * @param blobsMounted blobs mounted from another repository of the edge
 * @param blobsSkipped blobs the edge already had
 * @param bytesCopied blob bytes streamed to the edge
 * @param bytesResumed blob bytes not fetched again because an interrupted copy had read them
 * @param restartedUploads interrupted blob copies that had to start over, each naming the blob and
 *     why
 * @param error why the group state could not be read, when {@code status} is
 *     {@link Status#FETCH_FAILED}
 */
public record GroupReport(
    String ref,
    Status status,
    int replicated,
    int unchanged,
    int pruned,
    int retained,
    int failed,
    int blobsUploaded,
    int blobsMounted,
    int blobsSkipped,
    long bytesCopied,
    long bytesResumed,
    List<String> restartedUploads,
    Optional<String> error) {

  /** How a group's part of the pass ended. */
  public enum Status {
    /** The group state was read and every entity was worked on (some may have failed). */
    SYNCED,
    /** The group state could not be read: its checkpoint entries were kept and nothing pruned. */
    FETCH_FAILED,
    /** The group is no longer in the satellite state: its entities were pruned. */
    REMOVED,
    /** The pass was interrupted before the group's work was done. */
    INTERRUPTED
  }

  public GroupReport {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(status, "status");
    error = error == null ? Optional.empty() : error;
    restartedUploads = List.copyOf(restartedUploads);
    if (replicated < 0 || unchanged < 0 || pruned < 0 || retained < 0 || failed < 0
        || blobsUploaded < 0 || blobsMounted < 0 || blobsSkipped < 0 || bytesCopied < 0
        || bytesResumed < 0) {
      throw new IllegalArgumentException("group report counts cannot be negative: " + ref);
    }
  }

  /** A report without resumed copies. */
  public GroupReport(
      String ref,
      Status status,
      int replicated,
      int unchanged,
      int pruned,
      int retained,
      int failed,
      int blobsUploaded,
      int blobsMounted,
      int blobsSkipped,
      long bytesCopied,
      Optional<String> error) {
    this(ref, status, replicated, unchanged, pruned, retained, failed, blobsUploaded,
        blobsMounted, blobsSkipped, bytesCopied, 0, List.of(), error);
  }
}
