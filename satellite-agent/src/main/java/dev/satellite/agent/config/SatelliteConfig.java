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
 * and says why. Made with {@link #builder} from another config (e.g. {@link #defaults()}); later
 * versions may add fields without breaking callers.
 */
public final class SatelliteConfig {
  public static final Duration DEFAULT_STATE_REPLICATION_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REGISTER_SATELLITE_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

  private static final SatelliteConfig DEFAULTS = new Builder().build();

  private final Optional<String> groundControlUrl;
  private final Optional<String> logLevel;
  private final boolean useUnsecure;
  private final Duration stateReplicationInterval;
  private final Duration registerSatelliteInterval;
  private final Duration heartbeatInterval;
  private final Metrics metrics;
  private final boolean bringOwnRegistry;
  private final Optional<LocalRegistry> localRegistry;
  private final Tls tls;
  private final RegistryFallback registryFallback;
  private final Optional<String> harborRegistryUrl;
  private final Link link;

  private SatelliteConfig(Builder builder) {
    this.groundControlUrl = builder.groundControlUrl;
    this.logLevel = builder.logLevel;
    this.useUnsecure = builder.useUnsecure;
    this.stateReplicationInterval = builder.stateReplicationInterval;
    this.registerSatelliteInterval = builder.registerSatelliteInterval;
    this.heartbeatInterval = builder.heartbeatInterval;
    this.metrics = builder.metrics;
    this.bringOwnRegistry = builder.bringOwnRegistry;
    this.localRegistry = builder.localRegistry;
    this.tls = builder.tls;
    this.registryFallback = builder.registryFallback;
    this.harborRegistryUrl = builder.harborRegistryUrl;
    this.link = builder.link;
  }

  /** A builder that starts from every field of {@code from}. */
  public static Builder builder(SatelliteConfig from) {
    return new Builder(Objects.requireNonNull(from, "from"));
  }

  /** {@code ground_control_url}. */
  public Optional<String> groundControlUrl() {
    return groundControlUrl;
  }

  /**
   * {@code log_level} (e.g. {@code info}, {@code debug}), handed to the application; the Go
   * satellite's {@code fatal} and {@code panic} read as {@code error}.
   */
  public Optional<String> logLevel() {
    return logLevel;
  }

  /**
   * {@code use_unsecure}, as the Go satellite means it: Ground Control and Harbor are reached
   * without verifying their certificates, and their URLs written without a scheme mean plain
   * HTTP; a {@code local_registry.url} without a scheme means plain HTTP too.
   */
  public boolean useUnsecure() {
    return useUnsecure;
  }

  /** {@code state_replication_interval}: time between sync passes (default 30 s). */
  public Duration stateReplicationInterval() {
    return stateReplicationInterval;
  }

  /** {@code register_satellite_interval}: time between registration attempts (default 5 s). */
  public Duration registerSatelliteInterval() {
    return registerSatelliteInterval;
  }

  /** {@code heartbeat_interval}: time between heartbeats (default 30 s). */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** {@code metrics}: which figures heartbeats carry. */
  public Metrics metrics() {
    return metrics;
  }

  /** {@code bring_own_registry}: the edge registry is the operator's. */
  public boolean bringOwnRegistry() {
    return bringOwnRegistry;
  }

  /** {@code local_registry}: the edge registry to copy to, when it names a URL. */
  public Optional<LocalRegistry> localRegistry() {
    return localRegistry;
  }

  /**
   * The edge registry's base URL that {@code local_registry.url} names: as written when it has a
   * scheme; otherwise {@code http://} when {@code use_unsecure} is set, else {@code https://}.
   */
  public Optional<String> localRegistryUrl() {
    return localRegistry.map(local -> local.url().contains("://") ? local.url()
        : (useUnsecure ? "http://" : "https://") + local.url());
  }

  /**
   * {@code tls}: certificate files for Ground Control and Harbor (the upstream), as the Go
   * satellite uses them; the edge registry's TLS is set with the satellite's builder.
   */
  public Tls tls() {
    return tls;
  }

  /** {@code registry_fallback}: runtime mirror settings. */
  public RegistryFallback registryFallback() {
    return registryFallback;
  }

  /** {@code harbor_registry_url}. */
  public Optional<String> harborRegistryUrl() {
    return harborRegistryUrl;
  }

  /**
   * Fields of our own for a slow or metered link: {@code max_bandwidth}, {@code sync_windows},
   * {@code sync_window_zone}, {@code max_bytes_per_pass}.
   */
  public Link link() {
    return link;
  }

  /**
   * Two configs are equal when every field is. A new field must be added here, to {@link
   * #hashCode} and to {@link #toString}.
   */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof SatelliteConfig that)) {
      return false;
    }
    return groundControlUrl.equals(that.groundControlUrl)
        && logLevel.equals(that.logLevel)
        && useUnsecure == that.useUnsecure
        && stateReplicationInterval.equals(that.stateReplicationInterval)
        && registerSatelliteInterval.equals(that.registerSatelliteInterval)
        && heartbeatInterval.equals(that.heartbeatInterval)
        && metrics.equals(that.metrics)
        && bringOwnRegistry == that.bringOwnRegistry
        && localRegistry.equals(that.localRegistry)
        && tls.equals(that.tls)
        && registryFallback.equals(that.registryFallback)
        && harborRegistryUrl.equals(that.harborRegistryUrl)
        && link.equals(that.link);
  }

  @Override
  public int hashCode() {
    return Objects.hash(groundControlUrl, logLevel, useUnsecure, stateReplicationInterval,
        registerSatelliteInterval, heartbeatInterval, metrics, bringOwnRegistry, localRegistry, tls,
        registryFallback, harborRegistryUrl, link);
  }

  @Override
  public String toString() {
    return "SatelliteConfig[groundControlUrl=" + groundControlUrl + ", logLevel=" + logLevel
        + ", useUnsecure=" + useUnsecure + ", stateReplicationInterval=" + stateReplicationInterval
        + ", registerSatelliteInterval=" + registerSatelliteInterval
        + ", heartbeatInterval=" + heartbeatInterval + ", metrics=" + metrics
        + ", bringOwnRegistry=" + bringOwnRegistry + ", localRegistry=" + localRegistry
        + ", tls=" + tls + ", registryFallback=" + registryFallback
        + ", harborRegistryUrl=" + harborRegistryUrl + ", link=" + link + "]";
  }

  /** Every field at its default: what a satellite uses before it has read a config. */
  public static SatelliteConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Reads a config state's {@code artifacts.json}. Unknown fields are ignored (a {@code
   * registry_fallback} beside {@code app_config} rather than in it is reported); a field with an
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

  /** {@code tls}: PEM files and verification for Ground Control and Harbor. */
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

  /**
   * Collects the fields of a config, starting from another config's; each setter replaces one
   * field.
   */
  public static final class Builder {
    private Optional<String> groundControlUrl = Optional.empty();
    private Optional<String> logLevel = Optional.empty();
    private boolean useUnsecure;
    private Duration stateReplicationInterval = DEFAULT_STATE_REPLICATION_INTERVAL;
    private Duration registerSatelliteInterval = DEFAULT_REGISTER_SATELLITE_INTERVAL;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Metrics metrics = new Metrics(false, false, false);
    private boolean bringOwnRegistry;
    private Optional<LocalRegistry> localRegistry = Optional.empty();
    private Tls tls = new Tls(Optional.empty(), Optional.empty(), Optional.empty(), false);
    private RegistryFallback registryFallback = new RegistryFallback(false, List.of(), List.of());
    private Optional<String> harborRegistryUrl = Optional.empty();
    private Link link = Link.NONE;

    /** Every field at its default. */
    private Builder() {}

    private Builder(SatelliteConfig from) {
      this.groundControlUrl = from.groundControlUrl;
      this.logLevel = from.logLevel;
      this.useUnsecure = from.useUnsecure;
      this.stateReplicationInterval = from.stateReplicationInterval;
      this.registerSatelliteInterval = from.registerSatelliteInterval;
      this.heartbeatInterval = from.heartbeatInterval;
      this.metrics = from.metrics;
      this.bringOwnRegistry = from.bringOwnRegistry;
      this.localRegistry = from.localRegistry;
      this.tls = from.tls;
      this.registryFallback = from.registryFallback;
      this.harborRegistryUrl = from.harborRegistryUrl;
      this.link = from.link;
    }

    public Builder groundControlUrl(Optional<String> value) {
      this.groundControlUrl = Objects.requireNonNull(value, "groundControlUrl");
      return this;
    }

    public Builder logLevel(Optional<String> value) {
      this.logLevel = Objects.requireNonNull(value, "logLevel");
      return this;
    }

    public Builder useUnsecure(boolean value) {
      this.useUnsecure = value;
      return this;
    }

    public Builder stateReplicationInterval(Duration value) {
      this.stateReplicationInterval = Objects.requireNonNull(value, "stateReplicationInterval");
      return this;
    }

    public Builder registerSatelliteInterval(Duration value) {
      this.registerSatelliteInterval = Objects.requireNonNull(value, "registerSatelliteInterval");
      return this;
    }

    public Builder heartbeatInterval(Duration value) {
      this.heartbeatInterval = Objects.requireNonNull(value, "heartbeatInterval");
      return this;
    }

    public Builder metrics(Metrics value) {
      this.metrics = Objects.requireNonNull(value, "metrics");
      return this;
    }

    public Builder bringOwnRegistry(boolean value) {
      this.bringOwnRegistry = value;
      return this;
    }

    public Builder localRegistry(Optional<LocalRegistry> value) {
      this.localRegistry = Objects.requireNonNull(value, "localRegistry");
      return this;
    }

    public Builder tls(Tls value) {
      this.tls = Objects.requireNonNull(value, "tls");
      return this;
    }

    public Builder registryFallback(RegistryFallback value) {
      this.registryFallback = Objects.requireNonNull(value, "registryFallback");
      return this;
    }

    public Builder harborRegistryUrl(Optional<String> value) {
      this.harborRegistryUrl = Objects.requireNonNull(value, "harborRegistryUrl");
      return this;
    }

    public Builder link(Link value) {
      this.link = Objects.requireNonNull(value, "link");
      return this;
    }

    public SatelliteConfig build() {
      return new SatelliteConfig(this);
    }
  }
}
