package dev.satellite.agent.runtime.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The edge registry as the runtimes name it: {@code http://127.0.0.1:5000} (containerd's host
 * table, Docker's mirror list) or {@code 127.0.0.1:5000} (registries.conf, Docker's insecure
 * list). The runtimes ask a mirror for the upstream's repository path unchanged, so the edge is a
 * scheme and an authority, without a path.
 *
 * @param url {@code SCHEME://HOST[:PORT]}, scheme and host lower-case
 * @param hostPort {@code HOST[:PORT]}
 * @param plainHttp true for {@code http://}: the runtimes must be told the mirror is insecure
 */
public record EdgeRegistry(String url, String hostPort, boolean plainHttp) {

  /**
   * Parses the edge registry's URL.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code url}
   */
  public static EdgeRegistry parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("edge registry URL \"" + url + "\" is not a URL: "
          + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("edge registry URL \"" + url
          + "\" must start with http:// or https://");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("edge registry URL \"" + url
          + "\" must name a host (and no user)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("edge registry URL \"" + url + "\" must not have a path,"
          + " query or fragment: runtimes ask a mirror for /v2/<upstream repository> at its root");
    }
    String hostPort = uri.getHost().toLowerCase(Locale.ROOT)
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    return new EdgeRegistry(scheme + "://" + hostPort, hostPort, scheme.equals("http"));
  }

  /** True when {@code other} names this edge's URL (case aside, with or without a final slash). */
  public boolean isUrl(String other) {
    String trimmed = other.endsWith("/") ? other.substring(0, other.length() - 1) : other;
    return trimmed.equalsIgnoreCase(url);
  }
}
