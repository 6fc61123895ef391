package dev.satellite.registry;

import java.util.List;
import java.util.Objects;

/**
 * What a registry's referrers API answered for one subject, every page together.
 *
 * @param referrers the entries, in the registry's order
 * @param filtersApplied the registry applied the {@code artifactType} filter asked for ({@code
 *     OCI-Filters-Applied}); when false and a filter was asked, the caller filters
 * @param answerDigest sha256 over the answer's bytes, every page in order: equal digests mean an
 *     unchanged answer
 */
public record ReferrerList(List<Referrer> referrers, boolean filtersApplied, Digest answerDigest) {
  public ReferrerList {
    referrers = List.copyOf(referrers);
    Objects.requireNonNull(answerDigest, "answerDigest");
  }
}
