package dev.satellite.core;

/**
 * What one {@link Replicator#replicate} call took.
 *
 * @param alreadyPresent the edge already had the manifest under that tag; nothing was copied
 * @param blobsUploaded blobs streamed from the source to the edge
 * @param blobsMounted blobs mounted from another repository of the edge
 * @param blobsSkipped blobs the edge already had
 * @param bytesCopied blob bytes streamed from the source to the edge
 * @param manifestsPushed manifests (image, and for an index its children) pushed to the edge
 */
public record ReplicationResult(
    boolean alreadyPresent,
    int blobsUploaded,
    int blobsMounted,
    int blobsSkipped,
    long bytesCopied,
    int manifestsPushed) {

  public static final ReplicationResult ALREADY_PRESENT = new ReplicationResult(true, 0, 0, 0, 0, 0);

  public ReplicationResult {
    if (blobsUploaded < 0 || blobsMounted < 0 || blobsSkipped < 0 || bytesCopied < 0
        || manifestsPushed < 0) {
      throw new IllegalArgumentException("replication counts cannot be negative");
    }
  }
}
