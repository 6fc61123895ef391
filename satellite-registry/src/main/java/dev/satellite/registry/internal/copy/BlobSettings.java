package dev.satellite.registry.internal.copy;

import java.time.Duration;
import java.util.Objects;

/**
 * How one blob is put in place (see {@code BlobCopy}).
 *
 * @param maxAttempts tries per blob transfer, at least 1
 * @param retryDelayMillis pause before a retry, times the attempt number
 * @param maxProbes other repositories of the destination asked ({@code HEAD}) for a blob missing
 *     at the target before it is transferred; 0 to ask none
 * @param sharedUploadWait longest wait for another copy placing the same blob at the same registry
 */
public record BlobSettings(
    int maxAttempts, long retryDelayMillis, int maxProbes, Duration sharedUploadWait) {

  /** @throws IllegalArgumentException when a bound is out of range */
  public BlobSettings {
    Objects.requireNonNull(sharedUploadWait, "sharedUploadWait");
    if (maxAttempts < 1 || retryDelayMillis < 0 || maxProbes < 0
        || sharedUploadWait.isNegative()) {
      throw new IllegalArgumentException("invalid blob settings: " + maxAttempts + " attempts, "
          + retryDelayMillis + " ms retry delay, " + maxProbes + " probes, wait "
          + sharedUploadWait);
    }
  }
}
