package dev.satellite.registry;

import dev.satellite.core.TransferDeferredException;

/**
 * Decides whether blob bytes may be fetched from the source now: consulted by an {@link
 * ImageCopier} before each blob it transfers from the source (not for blobs it skips or mounts at
 * the destination) and, for a resumable transfer ({@link ImageCopier.Builder#uploadJournal}),
 * after each chunk the destination accepted and the journal recorded. Throwing {@link
 * TransferDeferredException} leaves the blob, and so its image, for later: transfers already
 * running go on to their end (or their next chunk boundary), no further blob of the image starts,
 * and its manifest is not pushed, so nothing is tagged. {@link LinkRules} implements sync windows
 * and a per-pass byte budget with it.
 *
 * <p>Implementations are thread-safe and quick: they are called from blob threads.
 */
public interface TransferGate {

  /** A gate that is always open. */
  TransferGate OPEN = blob -> {};

  /**
   * Before {@code blob} is fetched from the source.
   *
   * @throws TransferDeferredException to leave it (and its image) for later, saying why
   */
  void beforeBlob(Descriptor blob);

  /**
   * After a chunk of a resumable transfer of {@code blob} was accepted by the destination and
   * recorded in the upload journal, {@code uploaded} bytes in all. The default lets it go on.
   *
   * @throws TransferDeferredException to stop here; the next copy of the blob continues from the
   *     journal
   */
  default void afterChunk(Descriptor blob, long uploaded) {}
}
