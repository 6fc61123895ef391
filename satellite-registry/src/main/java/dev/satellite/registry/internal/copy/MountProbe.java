package dev.satellite.registry.internal.copy;

import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.RegistryException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for a blob in other repositories of the destination registry, for a cross-repository
 * mount: {@code HEAD} the blob in the best {@link MountCandidates} for the target repository, one
 * after the other, at most {@code maxProbes} of them, and answers the first that has it.
 *
 * <p>Only a {@code 200} means "there", only a {@code 404} means "not there". Any other answer says
 * nothing about the blob: a {@code 401}/{@code 403} (a repository these credentials cannot read)
 * or another 4xx makes that candidate unusable and the next one is tried; a 5xx or a failed
 * connection ends the search (the registry is struggling, and the upload that follows reports it
 * if it lasts). An interrupt stops it with an exception.
 */
final class MountProbe {
  private static final Logger LOG = LoggerFactory.getLogger(MountProbe.class);

  private final MountCandidates candidates;
  private final int maxProbes;

  MountProbe(MountCandidates candidates, int maxProbes) {
    this.candidates = candidates;
    this.maxProbes = maxProbes;
  }

  /** A repository of the destination, other than the target, that holds {@code blob} now. */
  Optional<String> find(CopyJob job, Descriptor blob) {
    String registry = job.destination().registry();
    for (String candidate : candidates.rank(registry, job.destinationRepository(), maxProbes)) {
      try {
        if (job.destination().headBlob(candidate, blob.digest()).isPresent()) {
          return Optional.of(candidate);
        }
      } catch (RegistryException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new SatelliteException(
              "interrupted while looking for blob " + blob.digest() + " at " + registry, e);
        }
        int status = e.statusCode().orElse(-1);
        if (status < 400 || status >= 500) {
          LOG.debug("looking for {} in other repositories of {} stopped at {}: {}",
              blob.digest(), registry, candidate, e.getMessage());
          return Optional.empty();
        }
        LOG.debug("{}/{} not usable as a mount source of {}: {}",
            registry, candidate, blob.digest(), e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Marks {@code repository} as just used for a mount, so it ranks higher next time. */
  void used(CopyJob job, String repository) {
    candidates.touch(job.destination().registry(), repository);
  }
}
