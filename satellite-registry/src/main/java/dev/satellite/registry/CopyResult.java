package dev.satellite.registry;

import dev.satellite.core.ReplicationResult;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link ImageCopier#copy} did: the digest placed at the destination, and the transfer
 * figures as a {@link ReplicationResult} (the form the reconciler reports), plus the child
 * manifests of an index the destination already had.
 */
public final class CopyResult {
  private final Digest digest;
  private final int manifestsSkipped;
  private final ReplicationResult transfer;

  private CopyResult(Digest digest, int manifestsSkipped, ReplicationResult transfer) {
    this.digest = Objects.requireNonNull(digest, "digest");
    if (manifestsSkipped < 0) {
      throw new IllegalArgumentException("manifestsSkipped cannot be negative: " + manifestsSkipped);
    }
    this.manifestsSkipped = manifestsSkipped;
    this.transfer = Objects.requireNonNull(transfer, "transfer");
  }

  /** A copy that placed {@code digest} with these transfer figures. */
  public static CopyResult of(Digest digest, int manifestsSkipped, ReplicationResult transfer) {
    return new CopyResult(digest, manifestsSkipped, transfer);
  }

  /** The result of a copy that found every tag already in place. */
  public static CopyResult alreadyPresent(Digest digest) {
    return new CopyResult(digest, 0, ReplicationResult.ALREADY_PRESENT);
  }

  /**
   * The manifest digest now at the destination under the requested tags: the source digest, or
   * the digest of the filtered index when a platform filter dropped children.
   */
  public Digest digest() {
    return digest;
  }

  /** The transfer figures: blobs uploaded, mounted and skipped, bytes, manifests pushed. */
  public ReplicationResult transfer() {
    return transfer;
  }

  /**
   * Every requested tag already resolved to {@link #digest} at the destination; nothing was read
   * from the source and nothing pushed.
   */
  public boolean alreadyPresent() {
    return transfer.alreadyPresent();
  }

  /** Child manifests of an index the destination already had. */
  public int manifestsSkipped() {
    return manifestsSkipped;
  }

  public int blobsUploaded() {
    return transfer.blobsUploaded();
  }

  public int blobsMounted() {
    return transfer.blobsMounted();
  }

  public int blobsSkipped() {
    return transfer.blobsSkipped();
  }

  public long bytesCopied() {
    return transfer.bytesCopied();
  }

  public int manifestsPushed() {
    return transfer.manifestsPushed();
  }

  public long bytesResumed() {
    return transfer.bytesResumed();
  }

  public List<String> restartedUploads() {
    return transfer.restartedUploads();
  }

  @Override
  public String toString() {
    return "CopyResult[digest=" + digest + ", manifestsSkipped=" + manifestsSkipped + ", "
        + transfer + "]";
  }
}
