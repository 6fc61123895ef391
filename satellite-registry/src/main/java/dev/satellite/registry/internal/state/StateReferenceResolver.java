package dev.satellite.registry.internal.state;

import dev.satellite.core.SatelliteException;
import dev.satellite.registry.RegistryClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides how a reference found in a state artifact is reached (DESIGN §4).
 *
 * <ol>
 *   <li>A host override maps the host as published to the host reached at the edge; it applies to
 *       every reference and group {@code registry} URL read from state artifacts. The published
 *       host {@link #ANY_HOST} matches every host that has no override of its own. An override
 *       written with a scheme ({@code http://10.0.0.5:8080}) sets the scheme too, whatever the
 *       reference says (Harbor published under an internal name and reached over another scheme,
 *       as the Go satellite's {@code HARBOR_REGISTRY_URL} does).
 *   <li>Otherwise a scheme given in the reference wins.
 *   <li>No scheme: a reference on the home host (the host the satellite state is read from) is
 *       reached the same way as the home registry, plain HTTP included; any other host over HTTPS.
 * </ol>
 *
 * <p>Hosts compare case-insensitively, including the port; a scheme's default port is dropped once
 * the scheme is settled ({@code https://h:443} is {@code https://h}).
 */
public final class StateReferenceResolver {
  /** The published host of an override that applies to every host without its own override. */
  public static final String ANY_HOST = "*";

  private final String homeScheme;
  private final String homeHost;
  private final Map<String, Endpoint> hostOverrides;

  /**
   * @param homeBaseUrl {@code scheme://host[:port]} of the registry the satellite state is read
   *     from
   * @param hostOverrides published host -> host reached at the edge
   * @throws SatelliteException when a URL or host is malformed
   */
  public StateReferenceResolver(String homeBaseUrl, Map<String, String> hostOverrides) {
    Endpoint home = Endpoint.parse(homeBaseUrl, "home registry URL");
    this.homeScheme =
        home.scheme()
            .orElseThrow(
                () ->
                    new SatelliteException(
                        "invalid home registry URL '"
                            + Redaction.url(homeBaseUrl)
                            + "': the scheme (http:// or https://) is required"));
    this.homeHost = withoutDefaultPort(homeScheme, home.host());
    Map<String, Endpoint> overrides = new TreeMap<>();
    hostOverrides.forEach(
        (from, to) ->
            overrides.put(
                ANY_HOST.equals(from)
                    ? ANY_HOST
                    : StateReference.requireHost("invalid host override", from),
                Endpoint.parse(to, "host override")));
    this.hostOverrides = Map.copyOf(overrides);
  }

  /**
   * A resolver whose home registry is the one {@code client} talks to.
   *
   * @param hostOverrides published host -> host reached at the edge
   * @throws SatelliteException when a host override is malformed
   */
  public static StateReferenceResolver forClient(
      RegistryClient client, Map<String, String> hostOverrides) {
    return new StateReferenceResolver(client.baseUrl(), hostOverrides);
  }

  /** {@code scheme://host} of the home registry. */
  public String homeBaseUrl() {
    return homeScheme + "://" + homeHost;
  }

  /**
   * The reference with its scheme and host settled.
   *
   * @throws SatelliteException naming the reference when it breaks the grammar
   */
  public StateReference resolve(String ref) {
    StateReference parsed = StateReference.parse(ref);
    Endpoint reached =
        parsed.host().map(this::override).orElse(new Endpoint(Optional.empty(), homeHost));
    String scheme = schemeFor(reached.scheme().or(parsed::scheme), reached.host());
    return parsed.at(scheme, withoutDefaultPort(scheme, reached.host()));
  }

  /**
   * The base URL ({@code scheme://host[:port]}) a group's {@code registry} value designates, with
   * the same rules as references. A bare host and a trailing slash are accepted.
   *
   * @throws SatelliteException naming the value when it is not a registry base URL
   */
  public String registryBaseUrl(String registry) {
    Endpoint endpoint = Endpoint.parse(registry, "registry URL");
    Endpoint reached = override(endpoint.host());
    String scheme = schemeFor(reached.scheme().or(endpoint::scheme), reached.host());
    return scheme + "://" + withoutDefaultPort(scheme, reached.host());
  }

  /** Whether {@code resolved} is reached through the home registry's client. */
  public boolean isHome(StateReference resolved) {
    return resolved.baseUrl().equals(homeBaseUrl());
  }

  private String schemeFor(Optional<String> given, String host) {
    return given.orElse(host.equals(homeHost) ? homeScheme : "https");
  }

  /** {@code h:443} over HTTPS and {@code h:80} over HTTP are {@code h}. */
  private static String withoutDefaultPort(String scheme, String host) {
    String defaultPort = scheme.equals("https") ? ":443" : ":80";
    return host.endsWith(defaultPort)
        ? host.substring(0, host.length() - defaultPort.length())
        : host;
  }

  /** Where {@code host} is reached: its override (with the override's scheme, if any), or itself. */
  private Endpoint override(String host) {
    Endpoint override = hostOverrides.getOrDefault(host, hostOverrides.get(ANY_HOST));
    return override != null ? override : new Endpoint(Optional.empty(), host);
  }

  /** A registry URL split into its optional scheme and its host[:port]. */
  private record Endpoint(Optional<String> scheme, String host) {
    static Endpoint parse(String value, String what) {
      if (value == null || value.isBlank()) {
        throw new SatelliteException("invalid " + what + ": empty");
      }
      String text = value.strip();
      String context = "invalid " + what + " '" + Redaction.url(text) + "'";
      boolean hasScheme = text.contains("://");
      URI uri;
      try {
        uri = new URI(hasScheme ? text : "https://" + text);
      } catch (URISyntaxException e) {
        throw new SatelliteException(context + ": " + e.getReason(), e);
      }
      if (uri.getRawUserInfo() != null) {
        throw new SatelliteException(context + ": credentials must not be embedded in the URL");
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      if (uri.getRawAuthority() == null
          || !(path.isEmpty() || path.equals("/"))
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new SatelliteException(context + ": expected [scheme://]host[:port] with no path");
      }
      Optional<String> scheme =
          hasScheme
              ? Optional.of(StateReference.requireScheme(context, uri.getScheme()))
              : Optional.empty();
      return new Endpoint(scheme, StateReference.requireHost(context, uri.getRawAuthority()));
    }
  }
}
