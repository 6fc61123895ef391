package dev.satellite.registry.internal.referrers;

import dev.satellite.registry.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * Names of the tags that carry referrers in registries, for a subject digest {@code alg:hex}:
 *
 * <ul>
 *   <li>the referrers tag schema of OCI distribution 1.1: {@code <alg>-<hex>}, cut to the 128
 *       characters a tag may have, holding an image index that lists the referrers;
 *   <li>cosign's tag scheme: {@code <alg>-<hex>.sig} (signatures), {@code .att} (attestations),
 *       {@code .sbom} (SBOMs), each an image manifest whose layers carry the payloads.
 * </ul>
 */
public final class ReferrerTags {
  /** cosign's suffixes, in the order its tags are looked at. */
  static final List<String> COSIGN_SUFFIXES = List.of(".sig", ".att", ".sbom");
  private static final int MAX_TAG = 128;

  private ReferrerTags() {}

  /** The referrers tag of {@code subject}: {@code sha256-<hex>}. */
  public static String fallback(Digest subject) {
    String tag = subject.algorithm() + "-" + subject.hex();
    return tag.length() > MAX_TAG ? tag.substring(0, MAX_TAG) : tag;
  }

  /** cosign's tags of {@code subject}; none when they would be longer than a tag may be. */
  public static List<String> cosign(Digest subject) {
    String base = subject.algorithm() + "-" + subject.hex();
    List<String> tags = new ArrayList<>();
    for (String suffix : COSIGN_SUFFIXES) {
      if (base.length() + suffix.length() <= MAX_TAG) {
        tags.add(base + suffix);
      }
    }
    return tags;
  }

  /** cosign's signature tag of {@code subject}: {@code sha256-<hex>.sig}. */
  public static String signature(Digest subject) {
    return subject.algorithm() + "-" + subject.hex() + ".sig";
  }
}
