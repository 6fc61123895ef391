package dev.satellite.registry;

import java.time.Duration;
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
 * application/vnd.dsse.envelope.v1+json} for {@code .att}).
 *
 * <p><b>Rechecks.</b> The referrers of an image are read in full when the image is copied. Of an
 * image the edge already has, a pass looks at the upstream again (a tag listing per repository,
 * then a {@code HEAD} per referrers tag, or a referrers API request per image) only when the last
 * look is {@link #recheckInterval()} old; in between, a warm pass asks the upstream nothing about
 * them. A signature or SBOM added upstream to an image already at the edge therefore arrives
 * within that interval (default {@link #DEFAULT_RECHECK_INTERVAL}), not necessarily at the next
 * pass; {@link Duration#ZERO} looks every pass. The time of the last look is kept in the
 * checkpoint, so a restart does not make every image look again. Immutable.
 */
public final class Referrers {
  /**
   * How often the referrers of an image already at the edge are looked for again by default: a
   * satellite of 100 repositories syncing every 10 s then lists each repository's tags 12 times
   * an hour instead of 360 (at fleet scale, the upstream's load).
   */
  public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofMinutes(5);

  /** Every referrer, to {@link #MAX_DEPTH} levels. */
  public static final Referrers ALL = new Referrers(true, Set.of(), DEFAULT_RECHECK_INTERVAL);
  /** None: only images are copied. */
  public static final Referrers NONE = new Referrers(false, Set.of(), DEFAULT_RECHECK_INTERVAL);

  /**
   * Referrers of referrers are followed this many levels below the image (a signature of an
   * SBOM of an image is level 2); deeper ones are not copied.
   */
  public static final int MAX_DEPTH = 3;

  private final boolean enabled;
  private final Set<String> artifactTypes;
  private final Duration recheckInterval;

  private Referrers(boolean enabled, Set<String> artifactTypes, Duration recheckInterval) {
    this.enabled = enabled;
    this.artifactTypes = artifactTypes;
    this.recheckInterval = recheckInterval;
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
    return new Referrers(true, Set.copyOf(types), DEFAULT_RECHECK_INTERVAL);
  }

  /**
   * The same choice, looking again for the referrers of images already at the edge when the last
   * look is {@code interval} old ({@link Duration#ZERO}: every pass).
   *
   * @throws IllegalArgumentException when {@code interval} is negative
   */
  public Referrers recheckInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("referrers recheck interval cannot be negative: "
          + interval);
    }
    return new Referrers(enabled, artifactTypes, interval);
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

  /**
   * How old the last look at an image's referrers may be before a pass looks again (default
   * {@link #DEFAULT_RECHECK_INTERVAL}; zero: every pass).
   */
  public Duration recheckInterval() {
    return recheckInterval;
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
        && artifactTypes.equals(other.artifactTypes)
        && recheckInterval.equals(other.recheckInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, artifactTypes, recheckInterval);
  }

  /** The {@link #parse} form of the choice ({@code all}, {@code none}, the types). */
  @Override
  public String toString() {
    return !enabled ? "none" : artifactTypes.isEmpty() ? "all" : String.join(",", artifactTypes);
  }
}
