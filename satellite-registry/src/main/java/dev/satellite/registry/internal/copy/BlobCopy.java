package dev.satellite.registry.internal.copy;

import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.Attempts;
import dev.satellite.registry.internal.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one blob into the destination repository, cheapest way first:
 *
 * <ol>
 *   <li>{@code HEAD} it there: present means done (skipped);
 *   <li>claim the blob for this registry ({@link InFlightPlacements}): while another copy is placing
 *       it, wait for that one to end (at most {@code sharedUploadWait}, then go on regardless);
 *   <li>when another copy of this copier placed it in the target meanwhile, confirm with a {@code
 *       HEAD} and count it skipped;
 *   <li>mount it from another repository of the destination registry this copier knows holds it
 *       ({@link BlobLocations}), e.g. where the copy waited for just put it;
 *   <li>look for it ({@code HEAD}) in up to {@code maxProbes} other repositories that may hold it
 *       ({@link MountProbe}: those the application named, e.g. a reconciler's checkpoint after a
 *       restart) and mount it from the first that has it;
 *   <li>otherwise, once the {@code TransferGate} admits it, stream it: the source {@code GET} body
 *       is the upload body (held to the {@link BandwidthLimit} when there is one), so the blob is
 *       never held in memory or on disk. The source stream verifies the digest as it reaches the end, and
 *       the destination verifies it again before committing, so a corrupt blob is never committed.
 * </ol>
 *
 * A mount the registry declines or refuses falls through to the next step. Cost of a blob missing
 * at the target and unknown elsewhere: one {@code HEAD} at the target, up to {@code maxProbes}
 * {@code HEAD}s at candidates, then either one mount {@code POST} or the transfer.
 *
 * <p><b>Attempts.</b> A blob's transfer has {@code maxAttempts} failed attempts in all, whatever
 * fails ({@link Attempts}, scoped to the copying thread): the retries of its source {@code GET}s
 * and of its other requests ({@code RetryInterceptor}), the source stream's resumes that bring no
 * new bytes ({@code VerifyingBlobStream}), and the transfers started again here. This class
 * retries only what no layer below could: a streamed upload that failed in a way that may pass
 * (connection lost, 5xx except 501, 408, 429), whose body cannot be sent again. A failure a layer
 * below gave up on, a digest mismatch and any other 4xx end the copy of the blob. A resume that
 * brings new bytes is progress, not an attempt.
 */
final class BlobCopy {
  private static final Logger LOG = LoggerFactory.getLogger(BlobCopy.class);

  private final BlobLocations locations;
  private final MountProbe probe;
  private final InFlightPlacements<Void> inFlight = new InFlightPlacements<>();
  private final BlobSettings settings;
  private final Optional<ResumableTransfer> resumable;

  BlobCopy(BlobLocations locations, MountCandidates candidates, BlobSettings settings) {
    this.locations = locations;
    this.probe = new MountProbe(candidates, settings.maxProbes());
    this.settings = settings;
    this.resumable = settings.resume().map(resume -> new ResumableTransfer(resume, settings));
  }

  void copy(CopyJob job, Descriptor blob) {
    String registry = job.destination().registry();
    String digest = blob.digest().toString();
    if (job.destination().headBlob(job.destinationRepository(), blob.digest()).isPresent()) {
      job.tally().blobSkipped();
      locations.remember(registry, digest, job.destinationRepository());
      return;
    }
    long deadline = System.nanoTime() + settings.sharedUploadWait().toNanos();
    while (System.nanoTime() - deadline < 0) {
      InFlightPlacements<Void>.Claim claim = inFlight.claim(registry, digest);
      if (claim.owner()) {
        try {
          place(job, blob);
        } finally {
          claim.finish(null);
        }
        return;
      }
      claim.await(deadline);
    }
    LOG.debug("{} still being placed at {} by another copy after {}; placing it here too",
        digest, registry, settings.sharedUploadWait());
    place(job, blob);
  }

  /**
   * Places a blob that was missing at the target: unless another copy placed it there since
   * (confirmed with a {@code HEAD}), from a known location, then from a candidate, then by
   * transfer.
   */
  private void place(CopyJob job, Descriptor blob) {
    String registry = job.destination().registry();
    String digest = blob.digest().toString();
    String repo = job.destinationRepository();
    if (locations.holds(registry, digest, repo)) {
      if (job.destination().headBlob(repo, blob.digest()).isPresent()) {
        job.tally().blobSkipped();
        return;
      }
      locations.forget(registry, digest, repo);
    }
    if (mountFromKnownLocation(job, blob)) {
      return;
    }
    Optional<String> found = probe.find(job, blob);
    if (found.isPresent() && mountFrom(job, blob, found.get())) {
      probe.used(job, found.get());
      return;
    }
    transferWithRetries(job, blob);
    job.tally().blobUploaded();
    locations.remember(registry, digest, repo);
  }

  private boolean mountFromKnownLocation(CopyJob job, Descriptor blob) {
    String registry = job.destination().registry();
    String digest = blob.digest().toString();
    Optional<String> known = locations.mountSource(registry, digest, job.destinationRepository());
    if (known.isEmpty()) {
      return false;
    }
    if (mountFrom(job, blob, known.get())) {
      return true;
    }
    locations.forget(registry, digest, known.get());
    return false;
  }

  /** Mounts {@code blob} from {@code fromRepository}; true (and counted, remembered) when done. */
  private boolean mountFrom(CopyJob job, Descriptor blob, String fromRepository) {
    if (!mount(job, blob, fromRepository)) {
      LOG.debug("{} not mounted from {}/{}", blob.digest(), job.destination().registry(),
          fromRepository);
      return false;
    }
    job.tally().blobMounted();
    locations.remember(job.destination().registry(), blob.digest().toString(),
        job.destinationRepository());
    return true;
  }

  /**
   * Tries the mount; a registry that answers it with an error (no access to the other repository,
   * mounts disabled) is treated like one that declined, and the blob is uploaded instead.
   */
  private static boolean mount(CopyJob job, Descriptor blob, String fromRepository) {
    try {
      return job.destination().mountBlob(job.destinationRepository(), blob.digest(), fromRepository);
    } catch (RegistryException e) {
      if (e.statusCode().isEmpty()) {
        throw e;
      }
      LOG.debug("mount of {} refused: {}", blob.digest(), e.getMessage());
      return false;
    }
  }

  private void transferWithRetries(CopyJob job, Descriptor blob) {
    settings.gate().beforeBlob(blob);
    Attempts attempts = new Attempts(settings.maxAttempts());
    Attempts.within(attempts, () -> {
      for (int transfer = 1; ; transfer++) {
        try {
          transfer(job, blob);
          return null;
        } catch (SatelliteException e) {
          if (!Failures.mayPass(e) || !attempts.retryAfterFailure()) {
            throw e;
          }
          LOG.debug("copy blob {} from {} to {} failed ({} of {} attempts failed), transferring"
                  + " it again: {}", blob.digest(), job.from(), job.to(), attempts.failed(),
              attempts.max(), e.getMessage());
          pause(transfer);
        }
      }
    });
  }

  /**
   * One transfer: resumable for a large blob when a journal is set, else one stream. Counts the
   * bytes taken from the source, and those an earlier, interrupted transfer had already read.
   */
  private void transfer(CopyJob job, Descriptor blob) {
    if (resumable.isPresent() && resumable.get().appliesTo(blob)) {
      ResumableTransfer.Outcome outcome = resumable.get().transfer(job, blob);
      job.tally().bytesCopied(outcome.fetchedFromSource());
      job.tally().resumed(outcome.resumed(), outcome.restarts());
      return;
    }
    streamWhole(job, blob);
    job.tally().bytesCopied(blob.size());
  }

  private void streamWhole(CopyJob job, Descriptor blob) {
    try (InputStream body = upstream(job.source().openBlob(job.sourceRepository(), blob.digest()));
        ProgressInputStream counted = new ProgressInputStream(body, job.progress())) {
      job.destination().pushBlob(job.destinationRepository(), blob.digest(), blob.size(), counted);
    } catch (IOException e) {
      throw new SatelliteException(
          "copy blob " + blob.digest() + " from " + job.from() + " to " + job.to()
              + ": closing the source stream failed: " + e.getMessage(), e);
    }
  }


  /** A source stream held to the bandwidth limit, when there is one. */
  private InputStream upstream(InputStream source) {
    return settings.bandwidth().map(limit -> limit.throttle(source)).orElse(source);
  }

  private void pause(int attempt) {
    try {
      Thread.sleep(settings.retryDelayMillis() * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SatelliteException("interrupted while waiting to retry a blob copy", e);
    }
  }
}
