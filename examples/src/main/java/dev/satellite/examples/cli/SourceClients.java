package dev.satellite.examples.cli;

import dev.satellite.registry.RegistryClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Maps a source registry base URL (as the state source settles it, {@code scheme://host[:port]})
 * to the client that pulls from it. The upstream's own URL gets the upstream client, with its
 * credentials and TLS; any other registry gets an anonymous client with default TLS, so the
 * upstream's credentials never travel to another host.
 */
public final class SourceClients implements Function<String, RegistryClient>, AutoCloseable {
  private final RegistryClient upstream;
  private final String upstreamUrl;
  private final Map<String, RegistryClient> others = new ConcurrentHashMap<>();

  public SourceClients(RegistryClient upstream) {
    this.upstream = upstream;
    this.upstreamUrl = normalize(upstream.baseUrl().toString());
  }

  @Override
  public RegistryClient apply(String baseUrl) {
    String url = normalize(baseUrl);
    if (url.equals(upstreamUrl)) {
      return upstream;
    }
    return others.computeIfAbsent(url, u -> RegistryClient.builder(u).build());
  }

  private static String normalize(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public void close() {
    others.values().forEach(RegistryClient::close);
    others.clear();
  }
}
