package dev.satellite.agent.internal;

import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.core.SatelliteException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a fleet member reaches Harbor, when Ground Control hands out an address the node cannot
 * use (its {@code HARBOR_URL}, often an internal name such as {@code
 * http://host.docker.internal:8080}).
 *
 * <p>As the Go satellite does with {@code HARBOR_REGISTRY_URL} ({@code ReplaceURLHost}): the
 * Harbor registry URL replaces scheme and host of the registration's {@code auth.url}, of the
 * satellite state reference, and of every group and config reference and group {@code registry}
 * published on that host. Without it, the satellite's host overrides ({@code --host-override})
 * apply to {@code auth.url} too, so the upstream client and the state reference agree.
 */
final class HarborAddress {
  private final String upstreamBaseUrl;
  private final Map<String, String> stateOverrides;

  private HarborAddress(String upstreamBaseUrl, Map<String, String> stateOverrides) {
    this.upstreamBaseUrl = upstreamBaseUrl;
    this.stateOverrides = stateOverrides;
  }

  /**
   * @param harborRegistryUrl {@code scheme://host[:port]} Harbor is reached at, if given
   * @param hostOverrides the satellite's host overrides (published host, or {@code *}, to reached
   *     {@code host:port})
   * @throws SatelliteException naming the value when the Harbor registry URL or {@code auth.url}
   *     is not an http(s) URL
   */
  static HarborAddress of(Registration registration, Optional<String> harborRegistryUrl,
      Map<String, String> hostOverrides) {
    Origin published = Origin.parse(registration.registryUrl(), "the registration's auth.url");
    if (harborRegistryUrl.isPresent()) {
      Origin reached = Origin.parse(harborRegistryUrl.get(), "the Harbor registry URL");
      Map<String, String> overrides = new LinkedHashMap<>();
      overrides.put(published.host(), reached.toString());
      hostOfReference(registration.stateReference())
          .ifPresent(host -> overrides.put(host, reached.toString()));
      return new HarborAddress(reached.toString(), Map.copyOf(overrides));
    }
    String override = hostOverrides.getOrDefault(published.host(), hostOverrides.get("*"));
    if (override == null) {
      return new HarborAddress(published.toString(), Map.of());
    }
    String base = override.contains("://") ? Origin.parse(override, "the host override").toString()
        : published.scheme() + "://" + override;
    return new HarborAddress(base, Map.of());
  }

  /** The upstream registry's base URL: {@code auth.url} with scheme and host as reached. */
  String upstreamBaseUrl() {
    return upstreamBaseUrl;
  }

  /** Host overrides the state source needs on top of the satellite's own. */
  Map<String, String> stateOverrides() {
    return stateOverrides;
  }

  /** The host of a state reference written with or without a scheme, if it has one. */
  private static Optional<String> hostOfReference(String reference) {
    String rest = reference.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "");
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    String first = rest.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost")
        ? Optional.of(first.toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /** {@code scheme://host[:port]} of an http(s) URL; a path is dropped, as Go's does. */
  private record Origin(String scheme, String host) {
    static Origin parse(String url, String what) {
      URI uri;
      try {
        uri = new URI(url.strip());
      } catch (URISyntaxException e) {
        throw new SatelliteException(what + " '" + url + "' is not a URL: " + e.getReason(), e);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null
          || uri.getRawUserInfo() != null) {
        throw new SatelliteException(what + " '" + url + "' is not an http(s) URL such as"
            + " https://harbor.example.com or http://10.0.0.5:8080");
      }
      return new Origin(scheme, uri.getRawAuthority().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return scheme + "://" + host;
    }
  }
}
