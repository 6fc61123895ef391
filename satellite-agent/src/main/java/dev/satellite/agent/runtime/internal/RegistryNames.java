package dev.satellite.agent.runtime.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Upstream registry names as the runtimes key their mirror configuration: a host with an optional
 * port ({@code docker.io}, {@code quay.io}, {@code registry.example.com:5000}), lower-case.
 */
public final class RegistryNames {
  /** Docker Hub, whose API is served from {@link #DOCKER_HUB_SERVER}. */
  public static final String DOCKER_HUB = "docker.io";

  /** Docker Hub's registry API endpoint (containerd's {@code server} for {@code docker.io}). */
  public static final String DOCKER_HUB_SERVER = "https://registry-1.docker.io";

  /** containerd's host directory that applies to every registry without its own. */
  public static final String CONTAINERD_DEFAULT = "_default";

  private static final String LABEL = "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";
  private static final Pattern HOST_PORT =
      Pattern.compile("(?:" + LABEL + "(?:\\." + LABEL + ")*|\\[[0-9a-f:.]+\\])(?::[0-9]{1,5})?");

  private RegistryNames() {}

  /**
   * The registry name, lower-case.
   *
   * @throws IllegalArgumentException when {@code name} is not {@code HOST[:PORT]}
   */
  public static String require(String name) {
    String normalized = name.trim().toLowerCase(Locale.ROOT);
    if (normalized.equals("index.docker.io") || normalized.equals("registry-1.docker.io")) {
      return DOCKER_HUB;
    }
    if (!HOST_PORT.matcher(normalized).matches() && !normalized.equals(CONTAINERD_DEFAULT)) {
      throw new IllegalArgumentException("registry \"" + name + "\" is not a registry host"
          + " (HOST[:PORT], e.g. docker.io or registry.example.com:5000)");
    }
    return normalized;
  }

  /** The server a runtime falls back to for {@code registry}: {@code https://<registry>}. */
  public static String upstreamServer(String registry) {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_SERVER : "https://" + registry;
  }

  /** The names of both lists (either may be null), each once, in order of appearance. */
  public static List<String> union(List<String> a, List<String> b) {
    Set<String> all = new LinkedHashSet<>();
    if (a != null) {
      all.addAll(a);
    }
    if (b != null) {
      all.addAll(b);
    }
    return List.copyOf(all);
  }
}
