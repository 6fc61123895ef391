package dev.satellite.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What moving blobs to the edge took: the one set of transfer figures that a copy ({@link
 * ReplicationResult}), a group ({@link GroupReport}) and a pass ({@link SyncReport}) report, the
 * larger made of the smaller with {@link #plus}.
 *
 * @param blobsUploaded blobs streamed from the source to the edge
 * @param blobsMounted blobs mounted from another repository of the edge
 * @param blobsSkipped blobs the edge already had
 * @param bytesCopied blob bytes streamed from the source to the edge
 * @param bytesResumed blob bytes not fetched from the source again because an earlier, interrupted
 *     copy had already read them (see {@link UploadJournal})
 * @param restartedUploads one line per blob whose interrupted copy could not be continued where it
 *     stopped and was started over, naming the blob and why
 */
public record TransferFigures(
    int blobsUploaded,
    int blobsMounted,
    int blobsSkipped,
    long bytesCopied,
    long bytesResumed,
    List<String> restartedUploads) {

  /** Nothing moved. */
  public static final TransferFigures NONE = new TransferFigures(0, 0, 0, 0, 0, List.of());

  /** @throws IllegalArgumentException naming a figure that is negative */
  public TransferFigures {
    notNegative("blobsUploaded", blobsUploaded);
    notNegative("blobsMounted", blobsMounted);
    notNegative("blobsSkipped", blobsSkipped);
    notNegative("bytesCopied", bytesCopied);
    notNegative("bytesResumed", bytesResumed);
    restartedUploads = List.copyOf(Objects.requireNonNull(restartedUploads, "restartedUploads"));
  }

  /** These figures and {@code other}'s together. */
  public TransferFigures plus(TransferFigures other) {
    List<String> restarted = new ArrayList<>(restartedUploads);
    restarted.addAll(other.restartedUploads);
    return new TransferFigures(
        Math.addExact(blobsUploaded, other.blobsUploaded),
        Math.addExact(blobsMounted, other.blobsMounted),
        Math.addExact(blobsSkipped, other.blobsSkipped),
        Math.addExact(bytesCopied, other.bytesCopied),
        Math.addExact(bytesResumed, other.bytesResumed),
        restarted);
  }

  /** These figures with {@code value} blobs uploaded. */
  public TransferFigures withBlobsUploaded(int value) {
    return new TransferFigures(value, blobsMounted, blobsSkipped, bytesCopied, bytesResumed,
        restartedUploads);
  }

  /** These figures with {@code value} blobs mounted. */
  public TransferFigures withBlobsMounted(int value) {
    return new TransferFigures(blobsUploaded, value, blobsSkipped, bytesCopied, bytesResumed,
        restartedUploads);
  }

  /** These figures with {@code value} blobs skipped. */
  public TransferFigures withBlobsSkipped(int value) {
    return new TransferFigures(blobsUploaded, blobsMounted, value, bytesCopied, bytesResumed,
        restartedUploads);
  }

  /** These figures with {@code value} bytes copied. */
  public TransferFigures withBytesCopied(long value) {
    return new TransferFigures(blobsUploaded, blobsMounted, blobsSkipped, value, bytesResumed,
        restartedUploads);
  }

  /** These figures with {@code value} bytes resumed. */
  public TransferFigures withBytesResumed(long value) {
    return new TransferFigures(blobsUploaded, blobsMounted, blobsSkipped, bytesCopied, value,
        restartedUploads);
  }

  /** These figures with {@code lines} added to the restarted uploads. */
  public TransferFigures withRestartedUploads(List<String> lines) {
    return plus(new TransferFigures(0, 0, 0, 0, 0, lines));
  }

  private static void notNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " cannot be negative: " + value);
    }
  }
}
