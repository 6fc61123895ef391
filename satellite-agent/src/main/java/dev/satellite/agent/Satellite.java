package dev.satellite.agent;

import dev.satellite.agent.audit.AuditLog;
import dev.satellite.agent.config.LocalConfig;
import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.internal.MirrorActivity;
import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import dev.satellite.agent.health.PassTracker;
import dev.satellite.agent.health.SatelliteHealth;
import dev.satellite.agent.internal.EdgeLink;
import dev.satellite.agent.internal.EdgeProbe;
import dev.satellite.agent.internal.Fleet;
import dev.satellite.agent.internal.HttpObserver;
import dev.satellite.agent.internal.Leadership;
import dev.satellite.agent.internal.PassSchedule;
import dev.satellite.agent.internal.Passes;
import dev.satellite.agent.internal.Resources;
import dev.satellite.agent.internal.SatelliteAssembler;
import dev.satellite.agent.internal.support.StateDirectory;
import dev.satellite.agent.metrics.SatelliteMetrics;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.core.ConfigHandler;
import dev.satellite.core.LeaderLease;
import dev.satellite.core.Reconciler;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.ImageCopier;
import dev.satellite.registry.Platform;
import dev.satellite.registry.Referrers;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
import dev.satellite.registry.SignaturePolicy;
import dev.satellite.registry.SyncWindow;
import dev.satellite.registry.TlsOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A whole satellite: keeps an edge registry in line with the desired state published upstream,
 * one pass at a time ({@link #syncOnce}) or on a schedule ({@link #start}).
 *
 * <pre>{@code
 * try (Satellite satellite = Satellite.builder()
 *         .upstream(upstreamClient, "harbor.example.com/satellite/satellite-state/edge-1/state:latest")
 *         .edge(edgeClient)
 *         .stateDirectory(Path.of("/var/lib/satellite"))
 *         .build()) {
 *   SyncReport report = satellite.syncOnce();
 * }
 * }</pre>
 *
 * <p><b>What it builds and owns.</b> From the two registry clients it builds the state source
 * (upstream credentials reach only the upstream's own host; other registries named by the state
 * artifacts get anonymous clients), the image copier and replicator (the edge client pushes; pull
 * and push never share credentials or TLS), the checkpoint store and the upload journal, and a
 * {@link Reconciler} over them. Everything it builds it closes; what it is handed (the registry
 * clients, a {@link Builder#stateStore state store}, listeners) stays the caller's.
 *
 * <p><b>State directory.</b> Every file the satellite keeps lives in its {@link
 * Builder#stateDirectory state directory}: the checkpoint ({@value #CHECKPOINT_FILE}), the upload
 * journal ({@value #UPLOAD_JOURNAL_DIRECTORY}/), the running total of bytes read from the upstream
 * ({@value #UPSTREAM_BYTES_FILE}; with a checkpoint file instead, next to it, named after it) and
 * the lock file ({@code satellite.lock}). The
 * directory is created with mode {@code 0700} where the file system has modes. One satellite at a
 * time owns it: a second one, in this process or another, fails to build with a message naming
 * the directory.
 *
 * <p><b>Slow links.</b> {@link Builder#maxBandwidth} caps the blob bytes read from the upstream,
 * all copies together; {@link Builder#syncWindows} limits blob transfers to times of day; {@link
 * Builder#maxBytesPerPass} limits a pass's blob bytes. An image held back by a window or the
 * budget is reported as deferred ({@link SyncReport#deferred()}), never half-tagged, and copied in
 * a later pass. State artifacts and manifests are read outside the windows too (they are small).
 * Every pass reports the bytes it read from the upstream and the running total ({@link
 * SyncReport#upstreamBytes()}, {@link SyncReport#upstreamBytesTotal()}).
 *
 * <p><b>Passes.</b> Passes never overlap: {@link #syncOnce} while the background loop runs a pass
 * waits for that pass to end. Per-image failures are in the returned {@link SyncReport} and in the
 * listener's {@link SyncListener#syncFinished}; a listener that throws is logged and ignored.
 *
 * <p><b>Two agents, one site.</b> With a {@link Builder#leaderLease leader lease} and a shared
 * {@link Builder#stateStore state store} fenced by it (satellite-jdbc's {@code JdbcStateStore} and
 * {@code PostgresLeaderLease}), several satellites of one site take turns: the one holding the
 * lease runs passes and heartbeats; the others stand by (no pass, no heartbeat, nothing written to
 * the edge or the checkpoint) and take over when it dies, closes or is cut off, continuing from
 * the shared checkpoint. A satellite that loses the lease steps down at once. {@link
 * SyncListener#roleChanged} and {@link #role()} say which role a satellite has.
 *
 * <p><b>Closing.</b> {@link #close} stops the loop, interrupts any pass in progress (it then saves
 * a checkpoint of exactly what landed), waits for it to end, and releases the checkpoint and
 * directory locks. It never ends the process. It is idempotent, and must not be called from within
 * a pass (a listener or config handler).
 *
 * <p>Thread-safe.
 */
public final class Satellite implements AutoCloseable {
  /** The checkpoint's file name in the state directory. */
  public static final String CHECKPOINT_FILE = StateDirectory.CHECKPOINT_FILE;
  /** The upload journal's directory name in the state directory. */
  public static final String UPLOAD_JOURNAL_DIRECTORY = StateDirectory.UPLOAD_JOURNAL_DIRECTORY;
  /** The running total of upstream bytes, in the state directory. */
  public static final String UPSTREAM_BYTES_FILE = StateDirectory.UPSTREAM_BYTES_FILE;

  static final String LOOP_THREAD_NAME = "satellite-sync";
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);
  private static final Duration EDGE_PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final Resources owned;
  private final Passes passes;
  private final Path stateDirectory;
  private final Fleet fleet;
  private final PassSchedule schedule;
  private final Leadership leadership;
  private final SatelliteHealth health;

  private Satellite(SatelliteAssembler.Assembled parts, LeaderLease lease, SyncListener listener,
      PassTracker tracker, Duration stallBound) {
    this.owned = parts.owned();
    Fleet member = parts.fleet();
    Reconciler reconciler = parts.reconciler();
    this.passes = new Passes(member == null ? reconciler::sync : () -> member.pass(reconciler::sync),
        leading(lease), LOOP_THREAD_NAME, CLOSE_WAIT);
    this.leadership = lease == null ? null
        : new Leadership(lease, parts.reconciler(), passes, listener);
    this.stateDirectory = parts.stateDirectory();
    this.fleet = parts.fleet();
    this.schedule = parts.schedule();
    BooleanSupplier leads = leading(lease);
    // a standby runs no passes: only its loop thread is judged, not the time between passes
    this.health = new SatelliteHealth(tracker, passes::loopAlive,
        () -> leads.getAsBoolean() ? passes.loopInterval() : Optional.empty(), stallBound,
        new EdgeProbe(parts.edge(), EDGE_PROBE_TIMEOUT)::check);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a satellite with {@code lease} (null: alone at its site) may run a pass now. */
  private static BooleanSupplier leading(LeaderLease lease) {
    return lease == null ? () -> true : () -> lease.heldEpoch().isPresent();
  }

  /**
   * Runs one pass now and returns what it did; waits first when a pass of the background loop is
   * running.
   *
   * @throws IllegalStateException after {@link #close}, or when this satellite has a leader lease
   *     and does not hold it (a standby, or not {@link #start started})
   */
  public SyncReport syncOnce() {
    return passes.runOnce();
  }

  /**
   * Starts passes in the background and returns at once: the first pass now, each next one
   * {@code interval} after the previous one ended, on one thread named {@value #LOOP_THREAD_NAME}.
   * In a fleet ({@link Builder#groundControl}), Ground Control's {@code state_replication_interval}
   * replaces {@code interval} whenever the config sets it, and heartbeats start too, on their own
   * thread and schedule. The thread is not a daemon: like a server's, it keeps the JVM alive until
   * {@link #close}. A pass that throws (a bug in a collaborator, not a per-image failure) is
   * logged and the loop goes on. With a {@link Builder#leaderLease leader lease}, the satellite
   * starts competing for it: passes run only while it holds the lease, the first one as soon as it
   * acquires it.
   *
   * @throws IllegalStateException when already started, or after {@link #close}
   */
  public void start(Duration interval) {
    if (leadership != null) {
      leadership.start();
    }
    passes.start(schedule, interval);
    if (fleet != null) {
      fleet.start();
    }
  }

  /**
   * Liveness and readiness answers for probes: alive while the loop's thread runs and is not
   * wedged (a pass showing no progress, or the next pass not starting, for longer than {@link
   * Builder#stallBound}); ready when the last successful pass ended within three intervals and the
   * edge registry answers {@code GET /v2/} now (within 5 s, without retries).
   */
  public SatelliteHealth health() {
    return health;
  }

  /** Whether {@link #start} was called and {@link #close} was not. */
  public boolean isRunning() {
    return passes.isRunning();
  }

  /**
   * The role of a satellite with a {@link Builder#leaderLease leader lease} ({@code STANDBY}
   * until it acquires the lease); empty for a satellite alone at its site.
   */
  public Optional<SyncListener.Role> role() {
    return leadership == null ? Optional.empty() : Optional.of(leadership.role());
  }

  /**
   * Reports to Ground Control how pointing the node's container runtimes at the edge went
   * ({@code RuntimeMirrors.apply()}, {@code RegistryFallback}), as the Go satellite does: the
   * heartbeats carry it as their {@code activity} ({@code cri_fallback_configured:
   * containerd(ok), docker(err:...)}) until Ground Control accepts one, then report passes again.
   * Call it before {@link #start} for the first heartbeat to carry it. Outside a fleet, or when the
   * reports changed, reloaded and failed nothing, it does nothing.
   */
  public void reportRuntimeMirrors(List<MirrorReport> reports) {
    Objects.requireNonNull(reports, "reports");
    if (fleet != null) {
      MirrorActivity.of(reports).ifPresent(fleet::reportOnce);
    }
  }

  /** The state directory, or empty when the satellite keeps its checkpoint elsewhere. */
  public Optional<Path> stateDirectory() {
    return Optional.ofNullable(stateDirectory);
  }

  /**
   * Stops the background loop, interrupts the passes in progress and waits (up to a minute) for
   * them to save what landed, then closes what the satellite built and releases its locks.
   *
   * @throws IllegalStateException when called from within a pass
   */
  @Override
  public void close() {
    if (passes.close()) {
      owned.close();
    }
  }

  /**
   * Configures a {@link Satellite}. Required: {@link #upstream}, {@link #edge}, and a place for the
   * checkpoint ({@link #stateDirectory}, or {@link #checkpointFile}, or {@link #stateStore}).
   */
  public static final class Builder {
    private static final long DEFAULT_RESUME_THRESHOLD = 64L * 1024 * 1024;

    private RegistryClient upstream;
    private String satelliteStateRef;
    private RegistryClient edge;
    private Path stateDirectory;
    private Path checkpointFile;
    private StateStore stateStore;
    private LeaderLease leaderLease;
    private Path uploadJournalDirectory;
    private boolean resumableUploads = true;
    private long resumeThreshold = DEFAULT_RESUME_THRESHOLD;
    private SyncListener listener;
    private ConfigHandler configHandler;
    private final Map<String, String> hostOverrides = new LinkedHashMap<>();
    private List<Platform> platforms = List.of();
    private Referrers referrers = Referrers.ALL;
    private Clock clock = Clock.systemUTC();
    private SignaturePolicy signaturePolicy;
    private final EdgeLink.Options link = new EdgeLink.Options();
    private Integer groupParallelism;
    private Integer entityParallelism;
    private Integer blobParallelism;
    private boolean requireDigests;
    private String groundControlUrl;
    private String registrationToken;
    private TlsOptions groundControlTls;
    private TlsOptions upstreamTls;
    private Duration registrationPatience;
    private Duration registrationInterval;
    private LocalConfig localConfig;
    private String harborRegistryUrl;
    private Consumer<String> logLevelHook;
    private Consumer<SatelliteConfig> satelliteConfigListener;
    private SpiffeOptions spiffe;
    private SatelliteMetrics metrics;
    private AuditLog auditLog;
    private Duration stallBound = Duration.ofMinutes(10);
    private final List<FleetListener> fleetListeners = new ArrayList<>();

    private Builder() {}

    /**
     * Where the desired state is read: {@code satelliteStateRef} (e.g. {@code
     * harbor.example.com/satellite/satellite-state/edge-1/state:latest}; {@code http://} in front
     * for a plain-HTTP registry) through {@code upstream}, whose credentials and TLS settings apply
     * to every reference and source registry on the upstream's own host, and to no other host.
     */
    public Builder upstream(RegistryClient upstream, String satelliteStateRef) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
      this.satelliteStateRef = Objects.requireNonNull(satelliteStateRef, "satelliteStateRef");
      return this;
    }

    /**
     * Joins a Harbor Satellite fleet instead of {@link #upstream}: registers with Ground Control
     * at {@code url} ({@code http://} only when written) with the one-time {@code token}, or reuses
     * the registration saved in the state directory (then {@code token} may be null); the
     * upstream client is built from the registration (its Harbor URL and robot account, TLS from
     * {@link #upstreamTls}), the satellite state reference is the one handed out. While {@link
     * #start started}, heartbeats go to Ground Control, and its config is applied as it changes:
     * pass and heartbeat intervals, metrics, the edge registry ({@code local_registry}: the edge
     * when no {@link #edge} is given, and in place of it only with {@code bring_own_registry:
     * true}), the log level ({@link #logLevelHook}). Precedence: what is set on this builder, then
     * the {@link #localConfig}, then Ground Control's config, then the defaults. Needs a {@link
     * #stateDirectory}. Registration failures that may pass (Ground Control unreachable, 5xx,
     * 429) are retried every {@link #registrationInterval} (jittered), for ever unless a {@link
     * #registrationPatience} is set, never faster than Ground Control's rate limit allows; a
     * refused token fails {@link #build} with a {@code RegistrationRefusedException} carrying
     * Ground Control's answer. The token never appears in a log line or exception message.
     */
    public Builder groundControl(String url, String token) {
      this.groundControlUrl = Objects.requireNonNull(url, "url");
      this.registrationToken = token == null || token.isBlank() ? null : token;
      return this;
    }

    /**
     * Joins the fleet of Ground Control at {@code url} without a token: with a saved
     * registration, or with a SPIFFE identity ({@link #spiffe}).
     */
    public Builder groundControl(String url) {
      return groundControl(url, null);
    }

    /**
     * Joins the fleet of {@link #groundControl} with the SPIFFE identity the SPIRE agent's Workload
     * API hands out, instead of a registration token: registration ({@code GET
     * {gc}/satellites/spiffe-ztr}) and heartbeats go over mutual TLS with the satellite's X.509
     * SVID, and Ground Control must present a SPIFFE certificate ({@link SpiffeOptions}: the
     * socket, the expected server ID). {@link #build} waits up to {@link SpiffeOptions#svidWait}
     * for the first SVID; the Workload API connection stays open until {@link #close}, and an SVID
     * SPIRE rotates is used from the next request on, without a restart. A saved registration is
     * reused as with a token (only the identity is fetched at start). Harbor is still reached with
     * the robot account of the registration. Excludes a token; replaces {@link #groundControlTls}.
     */
    public Builder spiffe(SpiffeOptions options) {
      this.spiffe = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * TLS settings for Ground Control (default: the config's {@code tls} and {@code use_unsecure},
     * else system trust with host names verified).
     */
    public Builder groundControlTls(TlsOptions options) {
      this.groundControlTls = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * TLS settings for the upstream client built from the registration (default: the config's
     * {@code tls} and {@code use_unsecure}, else system trust with host names verified).
     */
    public Builder upstreamTls(TlsOptions options) {
      this.upstreamTls = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * How long {@link #build} keeps retrying a registration that may pass (default: for ever, as
     * the Go satellite does).
     */
    public Builder registrationPatience(Duration patience) {
      if (patience.isNegative()) {
        throw new IllegalArgumentException("registration patience cannot be negative");
      }
      this.registrationPatience = patience;
      return this;
    }

    /**
     * Time between registration attempts, before a jitter of up to a fifth either way (default:
     * the config's {@code register_satellite_interval}, else 5 s).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder registrationInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("the registration interval must be positive, got "
            + interval);
      }
      this.registrationInterval = interval;
      return this;
    }

    /**
     * Where this node reaches Harbor, when Ground Control hands out an address it cannot use
     * (e.g. {@code http://host.docker.internal:8080}): {@code url}'s scheme and host replace those
     * of the registration's {@code auth.url}, of the satellite state reference and of every group
     * and config reference on Harbor's published host, as the Go satellite's {@code
     * HARBOR_REGISTRY_URL} does. Without it, {@link #hostOverride host overrides} apply to {@code
     * auth.url} as well.
     *
     * @throws IllegalArgumentException when {@code url} is not {@code http(s)://host[:port]}
     */
    public Builder harborRegistryUrl(String url) {
      Objects.requireNonNull(url, "url");
      if (!url.strip().matches("(?i)https?://[^/?#\\s@]+/?")) {
        throw new IllegalArgumentException("Harbor registry URL '" + url
            + "' is not http(s)://host[:port], e.g. http://10.0.0.5:8080");
      }
      this.harborRegistryUrl = url.strip();
      return this;
    }

    /**
     * The node's own config file ({@link LocalConfig}, the shape of the Go satellite's {@code
     * config.json}), for a fleet member: its {@code app_config} fields are laid over every config
     * state Ground Control publishes (Ground Control strips the fields it does not know, such as
     * {@code max_bandwidth} and {@code sync_windows}), and make the config the satellite starts
     * with, before Ground Control's is read. What is set on this builder wins over both.
     */
    public Builder localConfig(LocalConfig config) {
      this.localConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Told of Ground Control's {@code log_level} when it changes (the examples set logback). */
    public Builder logLevelHook(Consumer<String> hook) {
      this.logLevelHook = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Told of the typed config ({@link SatelliteConfig#read}) each time it is read, after the
     * satellite applied its own fields and before the {@link #configHandler} gets the raw body:
     * in a fleet at start and whenever the config changes, otherwise whenever a pass finds the
     * config state's digest changed. A listener that throws fails that pass's config step: the
     * pass reports it and the config is offered again next pass (at start, it is logged).
     */
    public Builder satelliteConfigListener(Consumer<SatelliteConfig> listener) {
      this.satelliteConfigListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Whether group state entries must name their image by a valid digest (default false: an
     * entry without one is looked up by tag once per pass, copied by the digest found, and
     * reported in {@link SyncReport#resolvedTags()}); true refuses such entries.
     */
    public Builder requireDigests(boolean required) {
      this.requireDigests = required;
      return this;
    }

    /** The edge registry images are copied to, with its own credentials and TLS settings. */
    public Builder edge(RegistryClient edge) {
      this.edge = Objects.requireNonNull(edge, "edge");
      return this;
    }

    /**
     * The directory holding every file this satellite keeps (created when missing, mode {@code
     * 0700}); see the class documentation.
     */
    public Builder stateDirectory(Path directory) {
      this.stateDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Keeps the checkpoint in this file instead of {@code <stateDirectory>/checkpoint.json}
     * (crash-safe, see {@code AtomicFileStateStore}).
     */
    public Builder checkpointFile(Path file) {
      this.checkpointFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Keeps the checkpoint in a store of the application's own instead of a file; the satellite
     * does not close it.
     */
    public Builder stateStore(StateStore store) {
      this.stateStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Shares the site with other satellites: this one syncs only while it holds {@code lease},
     * and stands by otherwise (see the class documentation). Needs a {@link #stateStore} that all
     * of them share and that {@code lease} fences (satellite-jdbc: {@code
     * JdbcStateStore.open(lease)}), so a satellite that lost the lease can never overwrite its
     * successor's checkpoint. The satellite starts the lease in {@link Satellite#start} and
     * closes it (giving it up, so a standby takes over at once) when it closes. The upload journal
     * and the upstream byte total stay in each satellite's own state directory.
     */
    public Builder leaderLease(LeaderLease lease) {
      this.leaderLease = Objects.requireNonNull(lease, "lease");
      return this;
    }

    /**
     * Where copies of large blobs keep their progress across restarts (default: {@code
     * <stateDirectory>/uploads}; without a state directory, none unless set here).
     */
    public Builder uploadJournal(Path directory) {
      this.uploadJournalDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Blobs of at least {@code thresholdBytes} are copied resumably: after a crash, their copy
     * continues where it stopped (default 64 MiB). Needs an upload journal.
     */
    public Builder resumableUploads(long thresholdBytes) {
      if (thresholdBytes < 0) {
        throw new IllegalArgumentException("resume threshold cannot be negative: " + thresholdBytes);
      }
      this.resumableUploads = true;
      this.resumeThreshold = thresholdBytes;
      return this;
    }

    /** No upload journal: every blob is copied in one stream and starts over after a crash. */
    public Builder noResumableUploads() {
      this.resumableUploads = false;
      return this;
    }

    /** Told of progress and events of every pass; see {@link SyncListener}. */
    public Builder listener(SyncListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Applies the config state when its digest changes, after the satellite took its own fields
     * from it (the link fields under {@code app_config}; in a fleet, all of them). Default: none.
     */
    public Builder configHandler(ConfigHandler handler) {
      this.configHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Reaches {@code publishedHost}, as written in the state artifacts, at {@code reachedHost}
     * ({@code host:port}); {@code *} for every host without an override of its own.
     */
    public Builder hostOverride(String publishedHost, String reachedHost) {
      hostOverrides.put(Objects.requireNonNull(publishedHost, "publishedHost"),
          Objects.requireNonNull(reachedHost, "reachedHost"));
      return this;
    }

    /**
     * Copies only these platforms of multi-platform images (the edge's index then has another
     * digest). Default: every platform, indexes copied whole.
     */
    public Builder platforms(List<Platform> platforms) {
      this.platforms = List.copyOf(platforms);
      return this;
    }

    /**
     * Which referrers (signatures, SBOMs, attestations) travel with their images: {@link
     * Referrers#ALL} (default), {@link Referrers#NONE}, or {@link Referrers#ofTypes} (see
     * {@link RegistryReplicator}), and how often those of images already at the edge are looked
     * for again ({@link Referrers#recheckInterval(java.time.Duration)}, default 5 minutes).
     */
    public Builder referrers(Referrers referrers) {
      this.referrers = Objects.requireNonNull(referrers, "referrers");
      return this;
    }

    /**
     * Places an image only when a cosign signature for its digest verifies with one of the
     * policy's keys; it lands with that signature. Default: no policy.
     */
    public Builder signaturePolicy(SignaturePolicy policy) {
      this.signaturePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Group states worked on at the same time (default 1).
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder groupParallelism(int groups) {
      Reconciler.builder().groupParallelism(groups); // checked where it is used, but now
      this.groupParallelism = groups;
      return this;
    }

    /**
     * Images of one group copied at the same time (default 4).
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder entityParallelism(int entities) {
      Reconciler.builder().entityParallelism(entities);
      this.entityParallelism = entities;
      return this;
    }

    /**
     * Blobs of one image copied at the same time (default 4).
     *
     * @throws IllegalArgumentException when not within 1..64
     */
    public Builder blobParallelism(int blobs) {
      ImageCopier.builder().blobParallelism(blobs);
      this.blobParallelism = blobs;
      return this;
    }

    /**
     * Caps the blob bytes read from the upstream at {@code bytesPerSecond} on average, all copies
     * together (a token bucket with a burst of a tenth of a second's worth). Default: no cap.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxBandwidth(long bytesPerSecond) {
      link.maxBandwidth(bytesPerSecond);
      return this;
    }

    /**
     * Transfers blobs only within these daily windows (e.g. {@code SyncWindow.parse("22:00-06:00")},
     * crossing midnight), in the {@link #syncWindowZone} time zone. A blob in flight when its
     * window closes is finished, or stopped at its next chunk boundary when it is copied
     * resumably; the rest waits for the next window. Default: no windows, transfers at any time.
     */
    public Builder syncWindows(List<SyncWindow> windows) {
      link.windows(windows);
      return this;
    }

    /** The time zone of the {@link #syncWindows} (default: the system's). */
    public Builder syncWindowZone(ZoneId zone) {
      link.zone(zone);
      return this;
    }

    /**
     * Blob bytes one pass may read from the upstream; images whose blobs do not fit are deferred
     * to the next pass. Default: no limit.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxBytesPerPass(long bytes) {
      link.maxBytesPerPass(bytes);
      return this;
    }

    /**
     * Meters of this satellite's work: it hears of every pass, times the checkpoint saves, counts
     * fleet events and observes every HTTP request the satellite makes (upstream, edge, Ground
     * Control). Bind it to a registry before or after {@link #build}. Stays the caller's.
     */
    public Builder metrics(SatelliteMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Records this satellite's registration, configs applied, images placed and pruned and
     * signature refusals in {@code auditLog} (see {@link AuditLog}; runtime file changes come from
     * {@code RegistryFallback.reportingTo}). Stays the caller's, who closes it after the satellite.
     */
    public Builder auditLog(AuditLog auditLog) {
      this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
      return this;
    }

    /**
     * How long a pass may show no progress (no image finished, no blob bytes moved), or the next
     * pass be late, before {@link Satellite#health()} counts the satellite as wedged; 10 minutes.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder stallBound(Duration bound) {
      if (bound.isNegative() || bound.isZero()) {
        throw new IllegalArgumentException("stall bound must be positive: " + bound);
      }
      this.stallBound = bound;
      return this;
    }

    /**
     * Also tells {@code listener} of fleet events (registration, configs applied, heartbeats);
     * may be called more than once. Only a satellite in a fleet ({@link #groundControl}) has any.
     */
    public Builder fleetListener(FleetListener listener) {
      fleetListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The clock sync windows and referrer rechecks are read from; for tests. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      link.clock(clock);
      return this;
    }

    /**
     * Builds the satellite: takes the state directory, opens the checkpoint and the upload
     * journal. Nothing is read from a registry yet.
     *
     * @throws NullPointerException naming a required setting that is missing
     * @throws IllegalStateException when no place for the checkpoint was given, or a leader lease
     *     without a shared state store
     * @throws SatelliteException when the state directory or checkpoint is in use by another
     *     satellite, a file cannot be created, or the state reference is invalid; nothing is left
     *     open
     */
    public Satellite build() {
      if (spiffe != null && (groundControlUrl == null || registrationToken != null)) {
        throw new IllegalStateException(groundControlUrl == null
            ? "spiffe(..) needs groundControl(url), the fleet to join"
            : "a registration token and spiffe(..) exclude each other: a SPIFFE identity joins"
                + " without a token");
      }
      if (localConfig != null && groundControlUrl == null) {
        throw new IllegalStateException("localConfig(..) is for a fleet member: it needs"
            + " groundControl(..)");
      }
      if (groundControlUrl != null) {
        if (upstream != null) {
          throw new IllegalStateException(
              "upstream(..) and groundControl(..) exclude each other: choose one");
        }
        Objects.requireNonNull(stateDirectory,
            "groundControl(..) needs stateDirectory(dir), where the registration is saved");
      } else {
        Objects.requireNonNull(upstream,
            "upstream(client, satelliteStateRef) or groundControl(url, token) is required");
        Objects.requireNonNull(edge, "edge(client) is required");
      }
      if (stateDirectory == null && checkpointFile == null && stateStore == null) {
        throw new IllegalStateException("a satellite needs a place for its checkpoint:"
            + " stateDirectory(dir), checkpointFile(path) or stateStore(store)");
      }
      if (leaderLease != null && stateStore == null) {
        throw new IllegalStateException("leaderLease(..) needs stateStore(..): a checkpoint store"
            + " shared by the satellites of the site and fenced by the lease");
      }
      PassTracker tracker = new PassTracker(clock);
      List<SyncListener> observers = new ArrayList<>(List.of(tracker));
      if (metrics != null) {
        observers.add(metrics);
      }
      if (auditLog != null) {
        observers.add(auditLog);
      }
      SyncListener observing = SyncListener.all(observers.toArray(SyncListener[]::new));
      return new Satellite(SatelliteAssembler.assemble(new SatelliteAssembler.Settings(
          new SatelliteAssembler.Source(upstream, satelliteStateRef, fleetSettings(),
              new LinkedHashMap<>(hostOverrides), requireDigests),
          new SatelliteAssembler.Storage(stateDirectory, checkpointFile, stateStore,
              uploadJournalDirectory, resumableUploads, resumeThreshold, leaderLease),
          new SatelliteAssembler.Copying(edge, platforms, referrers, signaturePolicy,
              blobParallelism, clock, link),
          new SatelliteAssembler.Reconciling(listener, configHandler, satelliteConfigListener,
              groupParallelism, entityParallelism),
          metrics == null
              ? new SatelliteAssembler.Observing(HttpObserver.NONE, observing, store -> store)
              : new SatelliteAssembler.Observing(new HttpObserver(metrics::httpListener),
                  observing, metrics::timed))), leaderLease, listener, tracker, stallBound);
    }

    /** How to join Ground Control, or null outside a fleet. */
    private Fleet.Settings fleetSettings() {
      return groundControlUrl == null ? null
          : new Fleet.Settings(groundControlUrl, Optional.ofNullable(registrationToken),
              groundControlTls, upstreamTls, registrationInterval,
              Optional.ofNullable(registrationPatience), Optional.ofNullable(harborRegistryUrl),
              new LinkedHashMap<>(hostOverrides), logLevelHook, spiffe,
              leading(leaderLease), FleetListener.all(allFleetListeners()),
              metrics == null ? HttpObserver.NONE : new HttpObserver(metrics::httpListener),
              localConfig);
    }

    private List<FleetListener> allFleetListeners() {
      List<FleetListener> all = new ArrayList<>();
      if (metrics != null) {
        all.add(metrics);
      }
      if (auditLog != null) {
        all.add(auditLog);
      }
      all.addAll(fleetListeners);
      return all;
    }
  }
}
