package dev.satellite.agent.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.config.SatelliteConfig.LocalRegistry;
import dev.satellite.agent.config.SatelliteConfig.Tls;
import dev.satellite.agent.metrics.HttpSide;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.TlsOptions;
import java.nio.file.Path;

/**
 * The edge registry client a Ground Control config asks for: {@code local_registry.url} ({@link
 * SatelliteConfig#localRegistryUrl()}) with its credentials (none when the username is empty). TLS
 * settings come from
 * {@code tls}: {@code ca_file} trusted, {@code cert_file}/{@code key_file} presented, {@code
 * skip_verify} turning off verification (each explicit, none implied by another).
 */
final class EdgeFromConfig {
  private EdgeFromConfig() {}

  /**
   * @throws IllegalArgumentException when the config names no edge registry, or a setting is
   *     unusable (the message names it)
   */
  static RegistryClient build(SatelliteConfig config, HttpObserver http) {
    LocalRegistry local = config.localRegistry().orElseThrow(() ->
        new IllegalArgumentException("the config names no local_registry.url"));
    RegistryClient.Builder edge = RegistryClient.builder(config.localRegistryUrl().orElseThrow())
        .tls(tls(config.tls()));
    if (!local.username().isEmpty()) {
      edge.credentials(Credentials.basic(local.username(), local.password()));
    }
    return http.observe(edge, HttpSide.EDGE).build();
  }

  private static TlsOptions tls(Tls tls) {
    TlsOptions.Builder options = TlsOptions.builder();
    tls.caFile().ifPresent(file -> options.trustedCertificates(Path.of(file)));
    if (tls.certFile().isPresent() != tls.keyFile().isPresent()) {
      throw new IllegalArgumentException("tls.cert_file and tls.key_file go together");
    }
    if (tls.certFile().isPresent()) {
      options.clientCertificate(Path.of(tls.certFile().get()), Path.of(tls.keyFile().get()));
    }
    if (tls.skipVerify()) {
      options.insecureSkipVerify();
    }
    return options.build();
  }
}
