package dev.satellite.registry.internal.copy;

import dev.satellite.core.UploadJournal;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.internal.blob.ResumableBlobs;
import java.util.Objects;
import java.util.function.Function;

/**
 * How large blobs are copied so that an interrupted copy continues where it stopped (see {@code
 * ResumableTransfer}).
 *
 * @param journal where uploads in progress and the bytes read so far are kept
 * @param threshold blobs of at least this many bytes are copied this way; smaller ones as usual
 * @param chunkSize bytes per {@code PATCH}; the journal is written once per chunk, so this is also
 *     the most an interruption can cost at the destination when the session survives
 * @param endpoints the resumable operations of a client (not public on {@link RegistryClient})
 */
public record ResumeSettings(UploadJournal journal, long threshold, int chunkSize,
    Function<RegistryClient, ResumableBlobs> endpoints) {

  /** @throws IllegalArgumentException when a bound is out of range */
  public ResumeSettings {
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(endpoints, "endpoints");
    if (threshold < 0 || chunkSize < 1) {
      throw new IllegalArgumentException(
          "invalid resumable upload settings: threshold " + threshold + ", chunk " + chunkSize);
    }
  }
}
