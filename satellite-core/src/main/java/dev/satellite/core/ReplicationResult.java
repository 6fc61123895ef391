package dev.satellite.core;

import java.util.List;

/**
 * What one {@link Replicator#replicate} call took.
 *
 * @param alreadyPresent the edge already had the manifest under that tag; nothing was copied
 * @param blobsUploaded blobs streamed from the source to the edge
 * @param blobsMounted blobs mounted from another repository of the edge
 * @param blobsSkipped blobs the edge already had
 * @param bytesCopied blob bytes streamed from the source to the edge
 * @param manifestsPushed manifests (image, and for an index its children) pushed to the edge
 * @param bytesResumed blob bytes not fetched from the source again because an earlier, interrupted
 *     copy had already read them (see {@link UploadJournal})
 * @param restartedUploads one line per blob whose interrupted copy could not be continued where it
 *     stopped and was started over, naming the blob and why
 */
public record ReplicationResult(
    boolean alreadyPresent,
    int blobsUploaded,
    int blobsMounted,
    int blobsSkipped,
    long bytesCopied,
    int manifestsPushed,
    long bytesResumed,
    List<String> restartedUploads) {

  public static final ReplicationResult ALREADY_PRESENT = new ReplicationResult(true, 0, 0, 0, 0, 0);

  public ReplicationResult {
    if (blobsUploaded < 0 || blobsMounted < 0 || blobsSkipped < 0 || bytesCopied < 0
        || manifestsPushed < 0 || bytesResumed < 0) {
      throw new IllegalArgumentException("replication counts cannot be negative");
    }
    restartedUploads = List.copyOf(restartedUploads);
  }

  /** A result without resumed copies. */
  public ReplicationResult(
      boolean alreadyPresent,
      int blobsUploaded,
      int blobsMounted,
      int blobsSkipped,
      long bytesCopied,
      int manifestsPushed) {
    this(alreadyPresent, blobsUploaded, blobsMounted, blobsSkipped, bytesCopied, manifestsPushed,
        0, List.of());
  }
}
