package dev.satellite.registry.internal.copy;

import dev.satellite.core.ReplicationProgress;
import dev.satellite.registry.RegistryClient;

/** The two ends of one image copy, its progress callback and its counters. */
record CopyJob(
    RegistryClient source,
    String sourceRepository,
    RegistryClient destination,
    String destinationRepository,
    ReplicationProgress progress,
    CopyTally tally) {

  /** {@code host:port/repository} of the source, for messages. */
  String from() {
    return source.registry() + "/" + sourceRepository;
  }

  /** {@code host:port/repository} of the destination, for messages. */
  String to() {
    return destination.registry() + "/" + destinationRepository;
  }
}
