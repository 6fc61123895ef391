package dev.satellite.core;

import java.util.Objects;

/**
 * What one {@link Replicator#replicateReferrers} call did for one image.
 *
 * @param copied referrer manifests (signatures, SBOMs, attestations, their own referrers) put at
 *     the edge
 * @param mark what the checkpoint records for the image and hands back on the next pass, so that
 *     the replicator can tell cheaply whether the referrers changed (opaque to the reconciler)
 * @param unchanged the replicator learned that nothing changed since {@code mark} was recorded
 */
public record ReferrersResult(int copied, String mark, boolean unchanged) {
  public ReferrersResult {
    if (copied < 0) {
      throw new IllegalArgumentException("referrers copied cannot be negative: " + copied);
    }
    Objects.requireNonNull(mark, "mark");
    if (mark.isBlank() || mark.contains("\n")) {
      throw new IllegalArgumentException("a referrers mark is one non-blank line: '" + mark + "'");
    }
  }
}
