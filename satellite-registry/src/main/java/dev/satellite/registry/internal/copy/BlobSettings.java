package dev.satellite.registry.internal.copy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one blob is put in place (see {@code BlobCopy}).
 *
 * @param maxAttempts tries per blob transfer, at least 1
 * @param retryDelayMillis pause before a retry, times the attempt number
 * @param maxProbes other repositories of the destination asked ({@code HEAD}) for a blob missing
 *     at the target before it is transferred; 0 to ask none
 * @param sharedUploadWait longest wait for another copy placing the same blob at the same registry
 * @param resume how large blobs are copied resumably; empty to copy every blob in one stream
 */
public record BlobSettings(
    int maxAttempts,
    long retryDelayMillis,
    int maxProbes,
    Duration sharedUploadWait,
    Optional<ResumeSettings> resume) {

  /** @throws IllegalArgumentException when a bound is out of range */
  public BlobSettings {
    Objects.requireNonNull(sharedUploadWait, "sharedUploadWait");
    Objects.requireNonNull(resume, "resume");
    if (maxAttempts < 1 || retryDelayMillis < 0 || maxProbes < 0
        || sharedUploadWait.isNegative()) {
      throw new IllegalArgumentException("invalid blob settings: " + maxAttempts + " attempts, "
          + retryDelayMillis + " ms retry delay, " + maxProbes + " probes, wait "
          + sharedUploadWait);
    }
  }

  /** Settings without resumable copies. */
  public BlobSettings(
      int maxAttempts, long retryDelayMillis, int maxProbes, Duration sharedUploadWait) {
    this(maxAttempts, retryDelayMillis, maxProbes, sharedUploadWait, Optional.empty());
  }
}
