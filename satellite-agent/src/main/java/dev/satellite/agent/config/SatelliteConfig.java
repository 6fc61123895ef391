package dev.satellite.agent.config;

import dev.satellite.registry.SyncWindow;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The satellite's configuration as Ground Control publishes it in the config state ({@code
 * artifacts.json}: {@code {"state_config": {...}, "app_config": {...}, "zot_config": {...}}}),
 * typed. The fields are those of {@code app_config}; every one is optional, and a missing one
 * takes its default. {@link #read} keeps the previous value of a field whose new value is invalid,
 * and says why.
 *
 * @param groundControlUrl {@code ground_control_url}
 * @param logLevel {@code log_level} (e.g. {@code info}, {@code debug}), handed to the application
 * @param useUnsecure {@code use_unsecure}: reach the edge registry over plain HTTP / without TLS
 *     verification
 * @param stateReplicationInterval {@code state_replication_interval}: time between sync passes
 *     (default 30 s)
 * @param registerSatelliteInterval {@code register_satellite_interval}: time between registration
 *     attempts (default 5 s)
 * @param heartbeatInterval {@code heartbeat_interval}: time between heartbeats (default 30 s)
 * @param metrics {@code metrics}: which figures heartbeats carry
 * @param bringOwnRegistry {@code bring_own_registry}: the edge registry is the operator's
 * @param localRegistry {@code local_registry}: the edge registry to copy to, when it names a URL
 * @param tls {@code tls}: certificate files for the edge registry
 * @param registryFallback {@code registry_fallback}: runtime mirror settings
 * @param harborRegistryUrl {@code harbor_registry_url}
 * @param link fields of our own for a slow or metered link: {@code max_bandwidth}, {@code
 *     sync_windows}, {@code sync_window_zone}, {@code max_bytes_per_pass}
 */
public record SatelliteConfig(
    Optional<String> groundControlUrl,
    Optional<String> logLevel,
    boolean useUnsecure,
    Duration stateReplicationInterval,
    Duration registerSatelliteInterval,
    Duration heartbeatInterval,
    Metrics metrics,
    boolean bringOwnRegistry,
    Optional<LocalRegistry> localRegistry,
    Tls tls,
    RegistryFallback registryFallback,
    Optional<String> harborRegistryUrl,
    Link link) {

  public static final Duration DEFAULT_STATE_REPLICATION_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REGISTER_SATELLITE_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

  private static final SatelliteConfig DEFAULTS = new SatelliteConfig(Optional.empty(),
      Optional.empty(), false, DEFAULT_STATE_REPLICATION_INTERVAL,
      DEFAULT_REGISTER_SATELLITE_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL,
      new Metrics(false, false, false), false, Optional.empty(),
      new Tls(Optional.empty(), Optional.empty(), Optional.empty(), false),
      new RegistryFallback(false, List.of(), List.of()), Optional.empty(), Link.NONE);

  public SatelliteConfig {
    Objects.requireNonNull(groundControlUrl, "groundControlUrl");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(stateReplicationInterval, "stateReplicationInterval");
    Objects.requireNonNull(registerSatelliteInterval, "registerSatelliteInterval");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(localRegistry, "localRegistry");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(registryFallback, "registryFallback");
    Objects.requireNonNull(harborRegistryUrl, "harborRegistryUrl");
    Objects.requireNonNull(link, "link");
  }

  /** Every field at its default: what a satellite uses before it has read a config. */
  public static SatelliteConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Reads a config state's {@code artifacts.json}. Unknown fields are ignored; a field with an
   * invalid value keeps its value from {@code previous} and adds a problem naming the field, the
   * value and why; a document that is not a JSON object keeps all of {@code previous}.
   */
  public static Reading read(byte[] json, SatelliteConfig previous) {
    return ConfigReader.read(json, previous);
  }

  /** A config read from a document, and what was wrong with the document (empty when nothing). */
  public record Reading(SatelliteConfig config, List<String> problems) {
    public Reading {
      Objects.requireNonNull(config, "config");
      problems = List.copyOf(problems);
    }
  }

  /** {@code metrics}: which figures heartbeats carry (each 0 when not collected). */
  public record Metrics(boolean collectCpu, boolean collectMemory, boolean collectStorage) {}

  /**
   * {@code local_registry}: the edge registry. {@link #toString} never shows the password.
   *
   * @param url the registry's URL ({@code http://} for plain HTTP, else HTTPS)
   * @param username empty for an anonymous registry
   * @param password empty for an anonymous registry
   */
  public record LocalRegistry(String url, String username, String password) {
    public LocalRegistry {
      Objects.requireNonNull(url, "url");
      username = username == null ? "" : username;
      password = password == null ? "" : password;
    }

    @Override
    public String toString() {
      return "LocalRegistry[url=" + url + ", username=" + username + ", password="
          + (password.isEmpty() ? "" : "<redacted>") + "]";
    }
  }

  /** {@code tls}: PEM files and verification for the edge registry. */
  public record Tls(Optional<String> certFile, Optional<String> keyFile, Optional<String> caFile,
      boolean skipVerify) {
    public Tls {
      Objects.requireNonNull(certFile, "certFile");
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(caFile, "caFile");
    }
  }

  /**
   * Fields of our own under {@code app_config} for a slow or metered link; each applies unless the
   * satellite's builder (the command line) set the same setting, which wins.
   *
   * @param maxBandwidth {@code max_bandwidth}: cap on blob bytes read from the upstream, bytes/s
   * @param syncWindows {@code sync_windows}: {@code ["22:00-06:00", ...]}
   * @param syncWindowZone {@code sync_window_zone}: e.g. {@code "Europe/Berlin"}
   * @param maxBytesPerPass {@code max_bytes_per_pass}: blob bytes one pass may read
   */
  public record Link(OptionalLong maxBandwidth, List<SyncWindow> syncWindows,
      Optional<ZoneId> syncWindowZone, OptionalLong maxBytesPerPass) {
    /** No link settings. */
    public static final Link NONE =
        new Link(OptionalLong.empty(), List.of(), Optional.empty(), OptionalLong.empty());

    public Link {
      Objects.requireNonNull(maxBandwidth, "maxBandwidth");
      syncWindows = List.copyOf(syncWindows);
      Objects.requireNonNull(syncWindowZone, "syncWindowZone");
      Objects.requireNonNull(maxBytesPerPass, "maxBytesPerPass");
    }
  }

  /** {@code registry_fallback}: whether and how container runtimes fall back to other registries. */
  public record RegistryFallback(boolean enabled, List<String> registries, List<String> runtimes) {
    public RegistryFallback {
      registries = List.copyOf(registries);
      runtimes = List.copyOf(runtimes);
    }
  }
}
