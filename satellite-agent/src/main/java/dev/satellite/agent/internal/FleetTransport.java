package dev.satellite.agent.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a fleet member reaches Ground Control and Harbor before it has read Ground Control's
 * config: each setting from the satellite's builder (the command line) when it was set there,
 * else from the config the satellite starts with (the local config file over the config saved
 * last), else its default.
 *
 * <p>As the Go satellite uses them, the config's {@code tls} and {@code use_unsecure} are for
 * Ground Control and Harbor, never the edge: {@code tls.ca_file} is trusted, {@code
 * tls.cert_file}/{@code tls.key_file} are presented, {@code tls.skip_verify} or {@code
 * use_unsecure} turn certificate verification off, and with {@code use_unsecure} a Ground Control
 * URL written without a scheme means plain HTTP (else HTTPS). Each switch that turns verification
 * off is logged once at WARN when the satellite starts.
 *
 * @param groundControlUrl Ground Control's URL, with the scheme {@code use_unsecure} implies
 * @param groundControlTls TLS towards Ground Control
 * @param upstreamTls TLS towards Harbor
 * @param registrationInterval time between registration attempts
 * @param harborRegistryUrl where Harbor is reached instead of where Ground Control says
 */
record FleetTransport(String groundControlUrl, TlsOptions groundControlTls,
    TlsOptions upstreamTls, Duration registrationInterval, Optional<String> harborRegistryUrl) {
  private static final Logger log = LoggerFactory.getLogger(FleetTransport.class);

  /**
   * @param builder what the builder set: each TLS setting and the interval may be null (not set)
   * @param start the config the satellite starts with
   * @throws SatelliteException when {@code tls.cert_file} is set without {@code tls.key_file}, or
   *     the other way round
   */
  static FleetTransport resolve(Fleet.Settings builder, SatelliteConfig start) {
    String url = builder.groundControlUrl().contains("://") || !start.useUnsecure()
        ? builder.groundControlUrl() : "http://" + builder.groundControlUrl();
    TlsOptions fromConfig = builder.groundControlTls() != null && builder.upstreamTls() != null
        ? null : tls(start);
    TlsOptions groundControl =
        builder.groundControlTls() != null ? builder.groundControlTls() : fromConfig;
    TlsOptions upstream = builder.upstreamTls() != null ? builder.upstreamTls() : fromConfig;
    if (builder.spiffe() == null) { // with SPIFFE, Ground Control is checked by its SPIFFE ID
      warnIfInsecure("Ground Control at " + url, groundControl,
          builder.groundControlTls() == null);
    }
    warnIfInsecure("Harbor", upstream, builder.upstreamTls() == null);
    return new FleetTransport(url, groundControl, upstream,
        builder.registrationInterval() != null ? builder.registrationInterval()
            : start.registerSatelliteInterval(),
        builder.harborRegistryUrl().or(start::harborRegistryUrl));
  }

  /** The config's {@code tls} and {@code use_unsecure} as TLS options. */
  static TlsOptions tls(SatelliteConfig config) {
    SatelliteConfig.Tls tls = config.tls();
    TlsOptions.Builder options = TlsOptions.builder();
    boolean insecure = tls.skipVerify() || config.useUnsecure();
    if (insecure) {
      options.insecureSkipVerify(); // a CA bundle would contradict it: unused, as in Go
    } else {
      tls.caFile().ifPresent(file -> options.trustedCertificates(Path.of(file)));
    }
    if (tls.certFile().isPresent() != tls.keyFile().isPresent()) {
      throw new SatelliteException("app_config.tls.cert_file and tls.key_file go together: one"
          + " is set, the other is not");
    }
    if (tls.certFile().isPresent()) {
      options.clientCertificate(Path.of(tls.certFile().get()), Path.of(tls.keyFile().get()));
    }
    return options.build();
  }

  private static void warnIfInsecure(String what, TlsOptions tls, boolean fromConfig) {
    if (tls.insecureSkipVerify()) {
      log.warn("{} is reached without verifying its certificate ({}): anyone on the path can"
          + " pose as it", what, fromConfig ? "app_config.use_unsecure or tls.skip_verify"
              : "set on the command line");
    }
  }

  /**
   * An applier that logs once per new value that the config's {@code tls} or {@code use_unsecure}
   * for Ground Control and Harbor differ from those the satellite started with ({@code start}):
   * they are saved with the config and apply from the next start, since the clients they govern
   * are not rebuilt under a running pass.
   */
  static ConfigAppliers.Applier changeNotice(SatelliteConfig start) {
    return new ConfigAppliers.Applier() {
      private String told;

      @Override
      public synchronized void apply(SatelliteConfig previous, SatelliteConfig next) {
        String transport = next.tls() + " " + next.useUnsecure();
        if ((!next.tls().equals(start.tls()) || next.useUnsecure() != start.useUnsecure())
            && !transport.equals(told)) {
          told = transport;
          log.warn("config: tls or use_unsecure for Ground Control and Harbor changed"
              + " (use_unsecure {}, was {}); they are saved and apply from the next start",
              next.useUnsecure(), start.useUnsecure());
        }
      }
    };
  }
}
