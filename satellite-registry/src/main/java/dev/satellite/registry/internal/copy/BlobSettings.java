package dev.satellite.registry.internal.copy;

import dev.satellite.registry.TransferGate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one blob is put in place (see {@code BlobCopy}).
 *
 * @param maxAttempts failed attempts after which a blob's transfer gives up, at least 1 (see
 *     {@code BlobCopy})
 * @param retryDelayMillis pause before a retry, times the attempt number
 * @param maxProbes other repositories of the destination asked ({@code HEAD}) for a blob missing
 *     at the target before it is transferred; 0 to ask none
 * @param sharedUploadWait longest wait for another copy placing the same blob at the same registry
 * @param resume how large blobs are copied resumably; empty to copy every blob in one stream
 * @param bandwidth the limit every blob read from a source is held to; empty for none
 * @param gate asked before each blob transfer from the source and after each resumable chunk
 */
public record BlobSettings(
    int maxAttempts,
    long retryDelayMillis,
    int maxProbes,
    Duration sharedUploadWait,
    Optional<ResumeSettings> resume,
    Optional<BandwidthLimit> bandwidth,
    TransferGate gate) {

  /** @throws IllegalArgumentException when a bound is out of range */
  public BlobSettings {
    Objects.requireNonNull(sharedUploadWait, "sharedUploadWait");
    Objects.requireNonNull(resume, "resume");
    Objects.requireNonNull(bandwidth, "bandwidth");
    Objects.requireNonNull(gate, "gate");
    if (maxAttempts < 1 || retryDelayMillis < 0 || maxProbes < 0
        || sharedUploadWait.isNegative()) {
      throw new IllegalArgumentException("invalid blob settings: " + maxAttempts + " attempts, "
          + retryDelayMillis + " ms retry delay, " + maxProbes + " probes, wait "
          + sharedUploadWait);
    }
  }

  /** Settings without a bandwidth limit or a gate. */
  public BlobSettings(
      int maxAttempts,
      long retryDelayMillis,
      int maxProbes,
      Duration sharedUploadWait,
      Optional<ResumeSettings> resume) {
    this(maxAttempts, retryDelayMillis, maxProbes, sharedUploadWait, resume, Optional.empty(),
        TransferGate.OPEN);
  }

  /** Settings without resumable copies. */
  public BlobSettings(
      int maxAttempts, long retryDelayMillis, int maxProbes, Duration sharedUploadWait) {
    this(maxAttempts, retryDelayMillis, maxProbes, sharedUploadWait, Optional.empty());
  }
}
