package dev.satellite.registry;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a referrers list: a manifest whose {@code subject} is the manifest asked about (a
 * signature, an SBOM, an attestation), as the referrers API or the referrers tag schema lists it.
 *
 * @param descriptor media type, digest and size of the referring manifest
 * @param artifactType what it is, e.g. {@code application/spdx+json}; empty when not given
 * @param annotations its annotations as listed (often a creation time)
 */
public record Referrer(
    Descriptor descriptor, Optional<String> artifactType, Map<String, String> annotations) {

  public Referrer {
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(artifactType, "artifactType");
    annotations = Map.copyOf(annotations);
  }

  public Digest digest() {
    return descriptor.digest();
  }
}
