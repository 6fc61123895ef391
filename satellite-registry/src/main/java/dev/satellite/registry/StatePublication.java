package dev.satellite.registry;

import java.util.List;

/**
 * A state artifact as pushed by {@link StatePublisher}.
 *
 * @param reference {@code host[:port]/repository:latest}, as listed in a satellite state
 * @param digest the manifest digest
 * @param tags the tags it was pushed under: {@code latest} and a timestamp tag
 */
public record StatePublication(String reference, Digest digest, List<String> tags) {
  public StatePublication {
    tags = List.copyOf(tags);
  }

  /** {@link #reference()} pinned to {@link #digest()}: {@code host/repository@sha256:..}. */
  public String pinnedReference() {
    return reference.substring(0, reference.lastIndexOf(':')) + "@" + digest;
  }
}
