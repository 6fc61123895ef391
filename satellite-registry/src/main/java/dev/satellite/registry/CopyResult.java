package dev.satellite.registry;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link ImageCopier#copy} did.
 *
 * @param digest the manifest digest now at the destination under the requested tags: the source
 *     digest, or the digest of the filtered index when a platform filter dropped children
 * @param alreadyPresent every requested tag already resolved to {@code digest} at the destination;
 *     nothing was read from the source and nothing pushed
 * @param blobsUploaded blobs streamed from the source to the destination
 * @param blobsMounted blobs mounted from another repository of the destination registry
 * @param blobsSkipped blobs the destination repository already had
 * @param bytesCopied blob bytes streamed from the source to the destination
 * @param manifestsPushed manifests pushed: the image (or index) and any child manifests
 * @param manifestsSkipped child manifests of an index the destination already had
 * @param bytesResumed blob bytes not fetched from the source because an earlier, interrupted copy
 *     had read them (see {@link ImageCopier.Builder#uploadJournal})
 * @param restartedUploads one line per interrupted blob copy that could not continue where it
 *     stopped, naming the blob and why
 */
public record CopyResult(
    Digest digest,
    boolean alreadyPresent,
    int blobsUploaded,
    int blobsMounted,
    int blobsSkipped,
    long bytesCopied,
    int manifestsPushed,
    int manifestsSkipped,
    long bytesResumed,
    List<String> restartedUploads) {

  /** @throws IllegalArgumentException when a count is negative */
  public CopyResult {
    Objects.requireNonNull(digest, "digest");
    if (blobsUploaded < 0 || blobsMounted < 0 || blobsSkipped < 0 || bytesCopied < 0
        || manifestsPushed < 0 || manifestsSkipped < 0 || bytesResumed < 0) {
      throw new IllegalArgumentException("copy counts cannot be negative");
    }
    restartedUploads = List.copyOf(restartedUploads);
  }

  /** A result without resumed blob copies. */
  public CopyResult(
      Digest digest,
      boolean alreadyPresent,
      int blobsUploaded,
      int blobsMounted,
      int blobsSkipped,
      long bytesCopied,
      int manifestsPushed,
      int manifestsSkipped) {
    this(digest, alreadyPresent, blobsUploaded, blobsMounted, blobsSkipped, bytesCopied,
        manifestsPushed, manifestsSkipped, 0, List.of());
  }

  /** The result of a copy that found every tag already in place. */
  public static CopyResult alreadyPresent(Digest digest) {
    return new CopyResult(digest, true, 0, 0, 0, 0, 0, 0);
  }
}
