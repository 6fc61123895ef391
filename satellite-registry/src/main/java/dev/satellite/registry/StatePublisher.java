package dev.satellite.registry;

import dev.satellite.core.OciGrammar;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.internal.state.ConfigStateCodec;
import dev.satellite.registry.internal.state.GroupStateCodec;
import dev.satellite.registry.internal.state.SatelliteStateCodec;
import dev.satellite.registry.internal.state.StateArtifactImage;
import dev.satellite.registry.internal.state.StateReferenceResolver;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Publishes Harbor Ground Control state artifacts to a registry: what a control plane does, and
 * what tests and demos use to set up the upstream.
 *
 * <p>Each artifact goes to its conventional repository ({@code
 * satellite/group-state/<group>/state}, {@code satellite/satellite-state/<name>/state}, {@code
 * satellite/config-state/<name>/state}) in three steps: push the image config and the layer (a
 * deterministic tar.gz holding {@code artifacts.json}), then the OCI manifest, under a timestamp
 * tag ({@code 20261126T124551.123Z}, from the clock) and then under {@code latest}, so {@code
 * latest} moves only once everything it points at is in place. The same content always gives the
 * same manifest digest.
 *
 * <p>For group states, images listed without a digest are resolved tag by tag with a {@code HEAD}
 * at the source registry, which is reached like a reader of the state would reach it: the
 * publishing client when it is the same scheme and host, otherwise a client from {@link
 * Builder#sourceClientFactory}.
 */
public final class StatePublisher {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final RegistryClient target;
  private final StateReferenceResolver resolver;
  private final String host;
  private final Clock clock;
  private final Function<String, RegistryClient> sourceClientFactory;
  private final boolean ownsSourceClients;
  private final boolean dockerMediaTypes;

  /** A publisher pushing to {@code target}, with the defaults of {@link #builder}. */
  public StatePublisher(RegistryClient target) {
    this(builder(target));
  }

  private StatePublisher(Builder b) {
    this.target = b.target;
    this.resolver = StateReferenceResolver.forClient(b.target, Map.of());
    this.host = resolver.homeBaseUrl().substring(resolver.homeBaseUrl().indexOf("://") + 3);
    this.clock = b.clock;
    this.ownsSourceClients = b.sourceClientFactory == null;
    this.sourceClientFactory =
        b.sourceClientFactory != null
            ? b.sourceClientFactory
            : u -> RegistryClient.builder(u).build();
    this.dockerMediaTypes = b.dockerMediaTypes;
  }

  /** Starts a publisher pushing state artifacts to {@code target}. */
  public static Builder builder(RegistryClient target) {
    return new Builder(target);
  }

  /**
   * Publishes the group state of {@code group}: {@code registryUrl} as the group's source registry
   * (written as given, e.g. {@code https://harbor.example.com}) and one artifact entry per image
   * digest, with the tags pointing at it.
   *
   * @throws IllegalArgumentException when {@code group} does not fit a repository name
   * @throws SatelliteException naming the group when a tag cannot be resolved or a push fails
   */
  public StatePublication publishGroup(String group, String registryUrl, List<StateImage> images) {
    String repository = repository("group-state", group);
    String action = "publish group state " + host + "/" + repository;
    List<GroupStateCodec.Artifact> artifacts;
    try {
      artifacts = resolve(registryUrl, images);
    } catch (SatelliteException e) {
      throw new SatelliteException(action + ": " + e.getMessage(), e);
    }
    return publish(action, repository, GroupStateCodec.encode(group, registryUrl, artifacts));
  }

  /**
   * Publishes the satellite state of {@code satellite}: the group state references it follows and,
   * optionally, its config state reference.
   *
   * @throws IllegalArgumentException when {@code satellite} does not fit a repository name
   * @throws SatelliteException naming the satellite when a push fails
   */
  public StatePublication publishSatellite(
      String satellite, List<String> groupRefs, Optional<String> configRef) {
    String repository = repository("satellite-state", satellite);
    return publish(
        "publish satellite state " + host + "/" + repository,
        repository,
        SatelliteStateCodec.encode(groupRefs, configRef));
  }

  /**
   * Publishes {@code configJson} as the config state {@code name}.
   *
   * @throws IllegalArgumentException when {@code name} does not fit a repository name
   * @throws SatelliteException when {@code configJson} is not JSON or a push fails
   */
  public StatePublication publishConfig(String name, byte[] configJson) {
    String repository = repository("config-state", name);
    String action = "publish config state " + host + "/" + repository;
    return publish(action, repository, ConfigStateCodec.requireJson(action, configJson));
  }

  private StatePublication publish(String action, String repository, byte[] artifactsJson) {
    StateArtifactImage image = StateArtifactImage.of(artifactsJson, dockerMediaTypes);
    String stamp = STAMP.format(clock.instant());
    try {
      target.pushBlob(repository, image.config());
      target.pushBlob(repository, image.layer());
      target.putManifest(repository, stamp, image.manifest());
      target.putManifest(repository, "latest", image.manifest());
    } catch (SatelliteException e) {
      throw new SatelliteException(action + ": " + e.getMessage(), e);
    }
    return new StatePublication(
        host + "/" + repository + ":latest", image.manifest().digest(), List.of("latest", stamp));
  }

  private List<GroupStateCodec.Artifact> resolve(String registryUrl, List<StateImage> images) {
    String sourceUrl = resolver.registryBaseUrl(registryUrl);
    boolean sameAsTarget = sourceUrl.equals(resolver.homeBaseUrl());
    RegistryClient source = null;
    try {
      List<GroupStateCodec.Artifact> artifacts = new ArrayList<>();
      for (StateImage image : images) {
        if (image.digest().isPresent()) {
          artifacts.add(
              new GroupStateCodec.Artifact(
                  image.repository(), image.tags(), image.digest().get().toString()));
          continue;
        }
        if (source == null) {
          source = sameAsTarget ? target : sourceClient(sourceUrl);
        }
        Map<String, List<String>> tagsByDigest = new LinkedHashMap<>();
        for (String tag : image.tags()) {
          tagsByDigest
              .computeIfAbsent(headDigest(source, image.repository(), tag), d -> new ArrayList<>())
              .add(tag);
        }
        tagsByDigest.forEach(
            (digest, tags) ->
                artifacts.add(new GroupStateCodec.Artifact(image.repository(), tags, digest)));
      }
      return artifacts;
    } finally {
      if (source != null && source != target && ownsSourceClients) {
        source.close();
      }
    }
  }

  private RegistryClient sourceClient(String sourceUrl) {
    try {
      return sourceClientFactory.apply(sourceUrl);
    } catch (SatelliteException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SatelliteException(
          "cannot create a client for " + sourceUrl + ": " + e.getMessage(), e);
    }
  }

  private static String headDigest(RegistryClient source, String repository, String tag) {
    return source
        .headManifest(repository, tag)
        .orElseThrow(
            () ->
                new SatelliteException(
                    "resolve "
                        + repository
                        + ":"
                        + tag
                        + " at "
                        + source.registry()
                        + ": not found (404)"))
        .digest()
        .toString();
  }

  private static String repository(String kind, String name) {
    Objects.requireNonNull(name, "name");
    String repository = "satellite/" + kind + "/" + name + "/state";
    if (!OciGrammar.isRepository(repository)) {
      throw new IllegalArgumentException(
          "invalid "
              + kind
              + " name '"
              + name
              + "': it must be a lowercase repository path "
              + "component ([a-z0-9] separated by '.', '_', '__' or '-')");
    }
    return repository;
  }

  /** Options of a {@link StatePublisher}. */
  public static final class Builder {
    private final RegistryClient target;
    private Clock clock = Clock.systemUTC();
    private Function<String, RegistryClient> sourceClientFactory;
    private boolean dockerMediaTypes;

    private Builder(RegistryClient target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /** The clock of the timestamp tags (default: the system clock, UTC); a test seam. */
    Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Creates the client for a source registry other than the target, given its base URL; clients
     * it returns are not closed by the publisher. Default: an anonymous client with default TLS,
     * closed after use.
     */
    public Builder sourceClientFactory(Function<String, RegistryClient> factory) {
      this.sourceClientFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** Publishes Docker v2 schema 2 manifests instead of OCI ones (compatibility tests). */
    Builder dockerMediaTypes() {
      this.dockerMediaTypes = true;
      return this;
    }

    public StatePublisher build() {
      return new StatePublisher(this);
    }
  }
}
