package dev.satellite.agent.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.config.SatelliteConfig.LocalRegistry;
import dev.satellite.agent.metrics.HttpSide;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;

/**
 * The edge registry client a Ground Control config asks for: {@code local_registry.url} ({@link
 * SatelliteConfig#localRegistryUrl()}: without a scheme, {@code use_unsecure} means plain HTTP)
 * with its credentials (none when the username is empty), and the system's trust. The config's
 * {@code tls} is not applied here: it is for Ground Control and Harbor ({@link FleetTransport});
 * an edge with TLS settings of its own is given to the builder (the command line's {@code
 * --destination} options).
 */
final class EdgeFromConfig {
  private EdgeFromConfig() {}

  /**
   * @throws IllegalArgumentException when the config names no edge registry, or its URL is
   *     unusable (the message names it)
   */
  static RegistryClient build(SatelliteConfig config, HttpObserver http) {
    LocalRegistry local = config.localRegistry().orElseThrow(() ->
        new IllegalArgumentException("the config names no local_registry.url"));
    RegistryClient.Builder edge = RegistryClient.builder(config.localRegistryUrl().orElseThrow());
    if (!local.username().isEmpty()) {
      edge.credentials(Credentials.basic(local.username(), local.password()));
    }
    return http.observe(edge, HttpSide.EDGE).build();
  }
}
