package dev.satellite.registry;

import dev.satellite.core.GroupState;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SatelliteState;
import dev.satellite.core.StateSource;
import dev.satellite.registry.internal.state.ConfigStateCodec;
import dev.satellite.registry.internal.state.GroupStateMemo;
import dev.satellite.registry.internal.state.SatelliteStateCodec;
import dev.satellite.registry.internal.state.StateArtifactFetcher;
import dev.satellite.registry.internal.state.StateLayerReader;
import dev.satellite.registry.internal.state.StateReference;
import dev.satellite.registry.internal.state.StateReferenceResolver;
import dev.satellite.registry.internal.state.TagDigestMemo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads Harbor Ground Control state artifacts from OCI registries: the satellite state, the group
 * states it lists and its config state.
 *
 * <p>Each state artifact is an image (OCI or Docker v2 schema 2 manifest) whose single layer, a
 * gzip-compressed tar, holds {@code artifacts.json}. Reading one takes three requests: the
 * manifest, then the layer blob, streamed through gzip and a tar reader that keeps only {@code
 * artifacts.json} (at most {@link Builder#maxArtifactsJsonBytes}, 8 MiB by default) and writes
 * nothing to disk. The blob's digest is verified as it streams. A state artifact read again whose
 * manifest is unchanged costs only its manifest request, and a group state is then not decoded
 * again either (unless its entries are looked up by tag, below).
 *
 * <p>References inside state artifacts are reached as follows (the satellite state's own reference
 * too):
 *
 * <ol>
 *   <li>{@link Builder#hostOverride host overrides} rewrite the host as published into the host
 *       reached from here (and the scheme too, when the override is written with one);
 *   <li>otherwise a scheme written in the reference ({@code http://}, {@code https://}) wins;
 *   <li>without one, a reference on the upstream's host is reached the way the upstream client is
 *       (plain HTTP stays plain HTTP), any other host over HTTPS.
 * </ol>
 *
 * References that end up at the upstream's scheme and host use the upstream client, with its
 * credentials and TLS settings; any other registry gets a client from {@link
 * Builder#clientFactory}, so the upstream's credentials never travel to another host. Group {@code
 * registry} URLs are settled the same way into {@link GroupState#sourceRegistry()}.
 *
 * <p>Group state entries published without a valid digest (Ground Control publishes what it is
 * given, placeholders such as {@code "sha256:test123"} included) are looked up by tag at the group's
 * registry with a manifest {@code HEAD}, through the same clients, once per repository and tag per
 * pass (a pass begins with {@link #fetchSatelliteState}); they are copied by the digest found and
 * listed in {@link GroupState#resolvedByTag()}. A tag that cannot be looked up fails its entry
 * alone. {@link Builder#requireDigests} refuses such entries instead.
 *
 * <p>The config state is tracked by digest: {@link #configDigest} costs one {@code HEAD}; {@link
 * #fetchConfig} then reads the body of that same digest.
 *
 * <p>Thread-safe. Failures are {@link SatelliteException}s whose message names the reference.
 */
public final class OciStateSource implements StateSource, AutoCloseable {
  private final RegistryClient upstream;
  private final String satelliteStateRef;
  private final StateReferenceResolver resolver;
  private final StateArtifactFetcher fetcher;
  private final Function<String, RegistryClient> clientFactory;
  private final boolean ownsFactoryClients;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();
  private final Map<String, Digest> configDigests = new ConcurrentHashMap<>();
  private final TagDigestMemo tagDigests;
  private final GroupStateMemo groupStates;
  private volatile String satelliteStateDigest;

  /**
   * A source reading {@code satelliteStateRef} through {@code upstream}, with the defaults of
   * {@link #builder}.
   *
   * @throws SatelliteException when the reference is invalid or not on the upstream's host
   */
  public OciStateSource(RegistryClient upstream, String satelliteStateRef) {
    this(builder(upstream, satelliteStateRef));
  }

  private OciStateSource(Builder b) {
    this.upstream = b.upstream;
    this.resolver = StateReferenceResolver.forClient(b.upstream, b.hostOverrides);
    StateReference home = resolver.resolve(b.satelliteStateRef);
    if (!resolver.isHome(home)) {
      throw new SatelliteException(
          "satellite state reference '"
              + b.satelliteStateRef
              + "' resolves to "
              + home.baseUrl()
              + ", not to the upstream registry "
              + resolver.homeBaseUrl()
              + " (add a host override if the upstream is published under another name)");
    }
    this.satelliteStateRef = b.satelliteStateRef;
    this.fetcher = new StateArtifactFetcher(new StateLayerReader(b.maxArtifactsJsonBytes));
    this.tagDigests = b.requireDigests ? null : new TagDigestMemo(this::lookUpTag);
    this.groupStates = new GroupStateMemo(resolver);
    this.ownsFactoryClients = b.clientFactory == null;
    this.clientFactory =
        b.clientFactory != null ? b.clientFactory : url -> RegistryClient.builder(url).build();
  }

  /**
   * Starts a source that reads {@code satelliteStateRef} (e.g. {@code
   * harbor.example.com/satellite/satellite-state/edge-1/state:latest}) through {@code upstream}.
   */
  public static Builder builder(RegistryClient upstream, String satelliteStateRef) {
    return new Builder(upstream, satelliteStateRef);
  }

  /**
   * @throws SatelliteException naming the satellite state reference when it cannot be read or its
   *     {@code artifacts.json} is invalid
   */
  @Override
  public SatelliteState fetchSatelliteState() {
    String action = "read satellite state " + satelliteStateRef;
    if (tagDigests != null) {
      tagDigests.forget();
    }
    StateReference resolved = resolve(satelliteStateRef, action);
    StateArtifactFetcher.Artifact artifact =
        fetcher.readArtifact(clientFor(resolved, action), resolved, action);
    SatelliteState state = SatelliteStateCodec.decode(satelliteStateRef, artifact.json());
    satelliteStateDigest = artifact.manifestDigest().toString();
    groupStates.retain(state.groupRefs());
    return state;
  }

  /**
   * The manifest digest of the satellite state as last read by {@link #fetchSatelliteState};
   * empty before it was read (what Ground Control calls the latest state digest).
   */
  public Optional<String> satelliteStateDigest() {
    return Optional.ofNullable(satelliteStateDigest);
  }

  /**
   * @throws SatelliteException naming {@code ref} when the group state cannot be read, or its
   *     {@code artifacts.json} or {@code registry} is invalid (invalid artifact entries do not
   *     throw: they are in {@link GroupState#rejected()})
   */
  @Override
  public GroupState fetchGroup(String ref) {
    String action = "read group state " + ref;
    StateReference resolved = resolve(ref, action);
    return groupStates.decode(
        ref, fetcher.readArtifact(clientFor(resolved, action), resolved, action), tagDigests);
  }

  /**
   * The manifest digest of the config state {@code ref}, from a {@code HEAD} request.
   *
   * @throws SatelliteException naming {@code ref} when it is absent or cannot be checked
   */
  @Override
  public String configDigest(String ref) {
    String action = "check config state " + ref;
    StateReference resolved = resolve(ref, action);
    Digest digest = fetcher.headDigest(clientFor(resolved, action), resolved, action);
    configDigests.put(ref, digest);
    return digest.toString();
  }

  /**
   * The config JSON of {@code ref}: the version whose digest {@link #configDigest} returned last,
   * or the current one if it was not called.
   *
   * @throws SatelliteException naming {@code ref} when it cannot be read or is not JSON
   */
  @Override
  public byte[] fetchConfig(String ref) {
    String action = "read config state " + ref;
    StateReference resolved = resolve(ref, action);
    Digest pinned = configDigests.get(ref);
    if (pinned != null) {
      resolved = resolved.withDigest(pinned.toString());
    }
    return ConfigStateCodec.requireJson(
        action, fetcher.read(clientFor(resolved, action), resolved, action));
  }

  /**
   * The base URL ({@code scheme://host[:port]}) at which a reference or registry URL found in a
   * state artifact is reached, after host overrides and scheme rules.
   *
   * @throws SatelliteException when {@code registryUrl} is not a registry base URL
   */
  public String resolveRegistry(String registryUrl) {
    return resolver.registryBaseUrl(registryUrl);
  }

  /**
   * Clients for registry base URLs such as {@link GroupState#sourceRegistry()}: the upstream client
   * for the upstream's own scheme and host, otherwise the (cached) client of {@link
   * Builder#clientFactory}. Suits {@link RegistryReplicator}'s source clients, so that the
   * upstream's credentials reach only its own host.
   */
  public Function<String, RegistryClient> registryClients() {
    return url -> clientFor(resolver.registryBaseUrl(url), "client for source registry " + url);
  }

  /** Closes the clients this source created for other registries (never the upstream client). */
  @Override
  public void close() {
    if (ownsFactoryClients) {
      clients.values().forEach(RegistryClient::close);
    }
    clients.clear();
  }

  @Override
  public String toString() {
    return "OciStateSource[" + satelliteStateRef + " via " + upstream.registry() + "]";
  }

  private String lookUpTag(String sourceRegistry, String repository, String tag) {
    String action = "look up tag " + repository + ":" + tag + " at " + sourceRegistry;
    RegistryClient client = clientFor(sourceRegistry, action);
    try {
      return client.headManifest(repository, tag)
          .orElseThrow(() -> new SatelliteException(action + ": not found (404)"))
          .digest()
          .toString();
    } catch (SatelliteException e) {
      String message = String.valueOf(e.getMessage());
      throw message.contains(action) ? e : new SatelliteException(action + ": " + message, e);
    }
  }

  private StateReference resolve(String ref, String action) {
    try {
      return resolver.resolve(ref);
    } catch (SatelliteException e) {
      throw new SatelliteException(action + ": " + e.getMessage(), e);
    }
  }

  private RegistryClient clientFor(StateReference resolved, String action) {
    return clientFor(resolved.baseUrl(), action);
  }

  private RegistryClient clientFor(String baseUrl, String action) {
    if (baseUrl.equals(resolver.homeBaseUrl())) {
      return upstream;
    }
    try {
      return clients.computeIfAbsent(baseUrl, clientFactory);
    } catch (RuntimeException e) {
      throw new SatelliteException(
          action + ": cannot create a client for " + baseUrl + ": " + e.getMessage(), e);
    }
  }

  /** Options of an {@link OciStateSource}. */
  public static final class Builder {
    private final RegistryClient upstream;
    private final String satelliteStateRef;
    private final Map<String, String> hostOverrides = new LinkedHashMap<>();
    private Function<String, RegistryClient> clientFactory;
    private int maxArtifactsJsonBytes = StateLayerReader.DEFAULT_MAX_BYTES;
    private boolean requireDigests;

    private Builder(RegistryClient upstream, String satelliteStateRef) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
      this.satelliteStateRef = Objects.requireNonNull(satelliteStateRef, "satelliteStateRef");
    }

    /**
     * Reaches {@code publishedHost} (as written in state artifacts, e.g. {@code
     * harbor.example.com}) at {@code reachedHost} (e.g. {@code 10.0.0.5:8080}). Applies to the
     * satellite state reference, the references inside state artifacts and group {@code registry}
     * URLs. A {@code publishedHost} of {@code *} reaches every host that has no override of its
     * own at {@code reachedHost}. A {@code reachedHost} written with a scheme ({@code
     * http://10.0.0.5:8080}) also replaces the scheme the references were published with.
     */
    public Builder hostOverride(String publishedHost, String reachedHost) {
      hostOverrides.put(
          Objects.requireNonNull(publishedHost, "publishedHost"),
          Objects.requireNonNull(reachedHost, "reachedHost"));
      return this;
    }

    /**
     * Creates the client for a registry other than the upstream, given its base URL ({@code
     * https://host[:port]} or {@code http://host[:port]}); called once per base URL. Clients it
     * returns are not closed by the source. Default: an anonymous client with default TLS, closed
     * with the source.
     */
    public Builder clientFactory(Function<String, RegistryClient> factory) {
      this.clientFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * The largest {@code artifacts.json} accepted (default 8 MiB). Larger ones, and layers over
     * twice this plus 1 MiB (compressed or not), fail with an error naming the reference.
     */
    public Builder maxArtifactsJsonBytes(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxArtifactsJsonBytes must be positive, got " + bytes);
      }
      this.maxArtifactsJsonBytes = bytes;
      return this;
    }

    /**
     * Whether group state entries must name their image by a valid digest (default false). When
     * true, an entry without one fails on its own; when false, it is looked up by tag once per pass
     * and copied by the digest found (not pinned: it is what the tag points at then).
     */
    public Builder requireDigests(boolean required) {
      this.requireDigests = required;
      return this;
    }

    /**
     * @throws SatelliteException when the satellite state reference is invalid or does not resolve
     *     to the upstream's host
     */
    public OciStateSource build() {
      return new OciStateSource(this);
    }
  }
}
