package dev.satellite.registry.internal.copy;

import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.DigestMismatchException;
import dev.satellite.registry.RegistryException;
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
 *   <li>mount it from another repository of the destination registry known to hold it (a mount
 *       the registry declines or refuses falls through to the upload);
 *   <li>otherwise stream it: the source {@code GET} body is the upload body, so the blob is never
 *       held in memory or on disk. The source stream verifies the digest as it reaches the end, and
 *       the destination verifies it again before committing, so a corrupt blob is never committed.
 * </ol>
 *
 * A transfer that fails in a way that may pass (connection lost, 5xx, 408, 429) is retried from
 * the start, up to {@code maxAttempts} in all; a digest mismatch or another 4xx is not.
 */
final class BlobCopy {
  private static final Logger LOG = LoggerFactory.getLogger(BlobCopy.class);

  private final BlobLocations locations;
  private final int maxAttempts;
  private final long retryDelayMillis;

  BlobCopy(BlobLocations locations, int maxAttempts, long retryDelayMillis) {
    this.locations = locations;
    this.maxAttempts = maxAttempts;
    this.retryDelayMillis = retryDelayMillis;
  }

  void copy(CopyJob job, Descriptor blob) {
    String registry = job.destination().registry();
    String digest = blob.digest().toString();
    String repo = job.destinationRepository();
    if (job.destination().headBlob(repo, blob.digest()).isPresent()) {
      job.tally().blobsSkipped.incrementAndGet();
      locations.remember(registry, digest, repo);
      return;
    }
    Optional<String> mountFrom = locations.mountSource(registry, digest, repo);
    if (mountFrom.isPresent()) {
      if (mount(job, blob, mountFrom.get())) {
        job.tally().blobsMounted.incrementAndGet();
        locations.remember(registry, digest, repo);
        return;
      }
      LOG.debug("{} not mounted from {}/{}; uploading it", digest, registry, mountFrom.get());
      locations.forget(registry, digest, mountFrom.get());
    }
    transferWithRetries(job, blob);
    job.tally().blobsUploaded.incrementAndGet();
    job.tally().bytesCopied.addAndGet(blob.size());
    locations.remember(registry, digest, repo);
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
    for (int attempt = 1; ; attempt++) {
      try {
        transfer(job, blob);
        return;
      } catch (SatelliteException e) {
        if (attempt >= maxAttempts || !mayPass(e)) {
          throw e;
        }
        LOG.warn(
            "copy blob {} from {} to {} failed (attempt {} of {}), retrying: {}",
            blob.digest(), job.from(), job.to(), attempt, maxAttempts, e.getMessage());
        pause(attempt);
      }
    }
  }

  private static void transfer(CopyJob job, Descriptor blob) {
    try (InputStream body = job.source().openBlob(job.sourceRepository(), blob.digest());
        ProgressInputStream counted = new ProgressInputStream(body, job.progress())) {
      job.destination().pushBlob(job.destinationRepository(), blob.digest(), blob.size(), counted);
    } catch (IOException e) {
      throw new SatelliteException(
          "copy blob " + blob.digest() + " from " + job.from() + " to " + job.to()
              + ": closing the source stream failed: " + e.getMessage(), e);
    }
  }

  /** True for failures that may not happen again: no response, 5xx, 408, 429. */
  static boolean mayPass(SatelliteException e) {
    if (e instanceof DigestMismatchException) {
      return false;
    }
    if (e instanceof RegistryException r) {
      if (r.statusCode().isEmpty()) {
        return true;
      }
      int status = r.statusCode().getAsInt();
      return status >= 500 || status == 408 || status == 429;
    }
    return false;
  }

  private void pause(int attempt) {
    try {
      Thread.sleep(retryDelayMillis * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SatelliteException("interrupted while waiting to retry a blob copy", e);
    }
  }
}
