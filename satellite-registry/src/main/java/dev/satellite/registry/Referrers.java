package dev.satellite.registry;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which referrers (signatures, SBOMs, attestations: manifests whose {@code subject} is an image,
 * and cosign's {@code sha256-<hex>.sig/.att/.sbom} tags) travel with their images: {@link #ALL}
 * (the default), {@link #NONE}, or only those of some artifact types ({@link #ofTypes}).
 *
 * <p>The artifact type of a referrer is its {@code artifactType} as listed, else its config's
 * media type; for a cosign tag, the manifest's {@code artifactType}, else its first layer's media
 * type ({@code application/vnd.dev.cosign.simplesigning.v1+json} for {@code .sig}, {@code
 * application/vnd.dsse.envelope.v1+json} for {@code .att}). Immutable.
 */
public final class Referrers {
  /** Every referrer, to {@link #MAX_DEPTH} levels. */
  public static final Referrers ALL = new Referrers(true, Set.of());
  /** None: only images are copied. */
  public static final Referrers NONE = new Referrers(false, Set.of());

  /**
   * Referrers of referrers are followed this many levels below the image (a signature of an
   * SBOM of an image is level 2); deeper ones are not copied.
   */
  public static final int MAX_DEPTH = 3;

  private final boolean enabled;
  private final Set<String> artifactTypes;

  private Referrers(boolean enabled, Set<String> artifactTypes) {
    this.enabled = enabled;
    this.artifactTypes = artifactTypes;
  }

  /**
   * Only referrers of these artifact types, e.g. {@code application/spdx+json}.
   *
   * @throws IllegalArgumentException when none is given or one is blank
   */
  public static Referrers ofTypes(String... artifactTypes) {
    Set<String> types = new LinkedHashSet<>();
    for (String type : artifactTypes) {
      if (type == null || type.isBlank() || !type.trim().equals(type)) {
        throw new IllegalArgumentException("invalid artifact type '" + type + "' in "
            + Arrays.toString(artifactTypes));
      }
      types.add(type);
    }
    if (types.isEmpty()) {
      throw new IllegalArgumentException("no artifact type given; use Referrers.NONE for none");
    }
    return new Referrers(true, Set.copyOf(types));
  }

  /**
   * {@code all}, {@code none}, or a comma-separated list of artifact types (command-line form).
   *
   * @throws IllegalArgumentException naming the value when it is none of these
   */
  public static Referrers parse(String value) {
    Objects.requireNonNull(value, "value");
    String trimmed = value.trim();
    switch (trimmed.toLowerCase(Locale.ROOT)) {
      case "all":
        return ALL;
      case "none":
        return NONE;
      default:
        return ofTypes(Arrays.stream(trimmed.split(",", -1)).map(String::trim)
            .toArray(String[]::new));
    }
  }

  /** False for {@link #NONE}. */
  public boolean enabled() {
    return enabled;
  }

  /** The types copied; empty for {@link #ALL} and {@link #NONE}. */
  public Set<String> artifactTypes() {
    return artifactTypes;
  }

  /** Whether a referrer of this artifact type is copied (one without a type only under ALL). */
  public boolean accepts(Optional<String> artifactType) {
    return enabled && (artifactTypes.isEmpty()
        || artifactType.map(artifactTypes::contains).orElse(false));
  }

  /** The one type to ask a registry to filter by, when exactly one is configured. */
  public Optional<String> singleType() {
    return artifactTypes.size() == 1 ? Optional.of(artifactTypes.iterator().next())
        : Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Referrers other && enabled == other.enabled
        && artifactTypes.equals(other.artifactTypes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, artifactTypes);
  }

  @Override
  public String toString() {
    return !enabled ? "none" : artifactTypes.isEmpty() ? "all" : String.join(",", artifactTypes);
  }
}
