package dev.satellite.agent.internal;

import dev.satellite.agent.config.LocalConfig;
import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.groundcontrol.CredentialState;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.groundcontrol.internal.CredentialKeeper;
import dev.satellite.agent.groundcontrol.internal.CredentialStatusFile;
import dev.satellite.agent.groundcontrol.internal.GroundControlLink;
import dev.satellite.agent.groundcontrol.internal.Registrar;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile;
import dev.satellite.agent.groundcontrol.internal.RobotCredentials;
import dev.satellite.agent.groundcontrol.internal.SavedConfigFile;
import dev.satellite.agent.groundcontrol.internal.TokenFile;
import dev.satellite.agent.groundcontrol.internal.UsageFigures;
import dev.satellite.agent.groundcontrol.internal.WorkloadApiIdentity;
import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.ConfigHandler;
import dev.satellite.core.Reconciler;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SatelliteState;
import dev.satellite.core.StateSource;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.OciStateSource;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
import dev.satellite.registry.TlsOptions;
import io.spiffe.workloadapi.X509Source;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A satellite's membership of a Harbor Satellite fleet, as the {@code Satellite} uses it: joins
 * Ground Control (the saved registration, or a new one with the token), builds the upstream
 * client from the registration, reads the config once before the first pass (so a restart applies
 * it although its digest is checkpointed already, and an edge it names is known), and links the
 * running satellite to Ground Control ({@link GroundControlLink}: config applied, heartbeats).
 *
 * <p><b>Precedence</b>, for every setting: the builder's (the command line's) value, else the
 * local config file's ({@link LocalConfig}, laid over each config state), else Ground Control's
 * config state, else the default. The edge: the config's {@code local_registry.url} replaces the
 * edge given to the builder only with {@code bring_own_registry: true} (without it the URL names
 * the Go satellite's own registry, which this satellite does not run); with no edge given it is
 * the edge. A change of the edge points the replicator at the new one and makes the next pass
 * check every image there.
 *
 * <p><b>Before Ground Control's config.</b> Ground Control and Harbor are reached with the
 * settings of the config the satellite starts with: the local config file over the config saved
 * last ({@link FleetTransport}: {@code tls}, {@code use_unsecure}, {@code
 * register_satellite_interval}, {@code harbor_registry_url}). A config state that changes {@code
 * tls} or {@code use_unsecure} is saved and applies to them from the next start (the clients it is
 * read through are not rebuilt under a running pass); that is logged once per change.
 *
 * <p>With a SPIFFE identity ({@link Settings#spiffe}) the satellite's X.509 SVID source is opened
 * first (waiting for the SPIRE agent), lives as long as the fleet membership, and is closed after
 * the Ground Control client; registration and heartbeats use it.
 */
public final class Fleet implements GroundControlLink.Target, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Fleet.class);

  /**
   * What the builder hands over.
   *
   * @param groundControlTls TLS towards Ground Control; null when the builder set none
   * @param upstreamTls TLS towards Harbor; null when the builder set none
   * @param registrationInterval time between registration attempts, before jitter; null when the
   *     builder set none
   * @param registrationPatience how long to keep trying to register; empty for ever
   * @param harborRegistryUrl where Harbor is reached instead of where Ground Control says
   * @param hostOverrides the satellite's host overrides, applied to {@code auth.url} too
   * @param spiffe how to join with a SPIFFE identity instead of a token, or null
   * @param leading whether this satellite leads its site now: a standby sends no heartbeat
   * @param localConfig the node's own config file, or null
   */
  public record Settings(String groundControlUrl, Optional<String> token, TlsOptions groundControlTls,
      TlsOptions upstreamTls, Duration registrationInterval,
      Optional<Duration> registrationPatience, Optional<String> harborRegistryUrl,
      Map<String, String> hostOverrides, Consumer<String> logLevelHook,
      Consumer<SatelliteConfig> configListener, SpiffeOptions spiffe, BooleanSupplier leading,
      FleetListener fleetListener, HttpObserver http, LocalConfig localConfig) {
    public Settings {
      Objects.requireNonNull(fleetListener, "fleetListener");
      Objects.requireNonNull(http, "http");
    }

    /** These settings with {@code listener} told of each config read (may be null). */
    public Settings withConfigListener(Consumer<SatelliteConfig> listener) {
      return new Settings(groundControlUrl, token, groundControlTls, upstreamTls,
          registrationInterval, registrationPatience, harborRegistryUrl, hostOverrides,
          logLevelHook, listener, spiffe, leading, fleetListener, http, localConfig);
    }
  }

  private final GroundControlClient client;
  private final RobotCredentials robot;
  private final CredentialKeeper keeper;
  private final UpstreamRefusals refusals;
  private final RegistryClient upstream;
  private final X509Source svids;
  private final BooleanSupplier leading;
  private final HarborAddress harbor;
  private final HttpObserver http;
  private final LocalConfig localConfig;
  private final SatelliteConfig startConfig;
  private final List<RegistryClient> configEdges = new ArrayList<>();
  private String toldUnusedEdge;
  private String toldTransport;
  /** The URL and {@code local_registry} the config-built edge was built from, or null. */
  private List<Object> configEdgeFrom;
  private RegistryClient builderEdge;
  private GroundControlLink link;
  private volatile RegistryClient edge;
  private OciStateSource source;
  private StateSource desired;
  private SavedConfigFile savedConfig;
  private SwitchableReplicator replicator;
  private Function<RegistryClient, RegistryReplicator> replicators;
  private Reconciler reconciler;
  private Consumer<Duration> passInterval;
  private Duration pendingPassInterval;

  private Fleet(GroundControlClient client, RobotCredentials robot, CredentialKeeper keeper,
      UpstreamRefusals refusals, HarborAddress harbor, RegistryClient upstream, X509Source svids,
      Settings settings, SatelliteConfig startConfig) {
    this.http = settings.http();
    this.localConfig = settings.localConfig();
    this.startConfig = startConfig;
    this.leading = settings.leading();
    this.client = client;
    this.robot = robot;
    this.keeper = keeper;
    this.refusals = refusals;
    this.harbor = harbor;
    this.upstream = upstream;
    this.svids = svids;
  }

  /**
   * Joins Ground Control: the registration saved in {@code stateDirectory}, or a new one.
   *
   * @throws SatelliteException when there is neither a usable saved registration nor a token,
   *     Ground Control refused the token ({@code RegistrationRefusedException}), or stayed
   *     unreachable for the registration patience (when one was given)
   */
  public static Fleet join(Settings settings, Path stateDirectory) {
    SatelliteConfig startConfig = startConfig(settings.localConfig(), stateDirectory);
    FleetTransport transport = FleetTransport.resolve(settings, startConfig);
    X509Source svids = settings.spiffe() == null ? null
        : WorkloadApiIdentity.open(settings.spiffe());
    GroundControlClient client;
    try {
      GroundControlClient.Builder builder = GroundControlClient.builder(transport.groundControlUrl())
          .tls(transport.groundControlTls());
      client = settings.http().observe(
          svids == null ? builder : builder.spiffe(svids, settings.spiffe()));
    } catch (RuntimeException e) {
      closeSvids(svids);
      throw e;
    }
    try {
      RegistrationFile file = new RegistrationFile(stateDirectory, Clock.systemUTC());
      AtomicBoolean reused = new AtomicBoolean();
      Registrar registrar = new Registrar(client, file,
          transport.registrationInterval(), settings.registrationPatience(),
          duration -> Thread.sleep(duration.toMillis()), FleetListener.all(List.of(
              new FleetListener() {
                @Override
                public void registered(Registration registration, boolean fromSavedFile) {
                  reused.set(fromSavedFile);
                }
              }, settings.fleetListener())));
      Registration registration = svids == null ? registrar.obtain(settings.token())
          : registrar.obtainWithSpiffe();
      RobotCredentials robot = new RobotCredentials(registration, file, client.url());
      // a token given at start that registered just now is used up; one beside a saved
      // registration is kept for when that registration's robot account is refused
      CredentialKeeper keeper = new CredentialKeeper(client, robot, new TokenFile(stateDirectory),
          reused.get() ? settings.token() : Optional.empty(),
          new CredentialStatusFile(stateDirectory), Clock.systemUTC());
      UpstreamRefusals refusals = new UpstreamRefusals();
      HarborAddress harbor = HarborAddress.of(registration, transport.harborRegistryUrl(),
          settings.hostOverrides());
      if (!harbor.upstreamBaseUrl().equals(registration.registryUrl())) {
        log.info("Ground Control publishes Harbor as {}; reaching it at {}",
            registration.registryUrl(), harbor.upstreamBaseUrl());
      }
      RegistryClient upstream = RegistryClient.builder(harbor.upstreamBaseUrl())
          .credentials(robot.upstream())
          .exchangeListener(refusals)
          .tls(transport.upstreamTls())
          .build();
      return new Fleet(client, robot, keeper, refusals, harbor, upstream, svids, settings,
          startConfig);
    } catch (RuntimeException e) {
      client.close();
      closeSvids(svids);
      throw e;
    }
  }

  /**
   * The config the satellite starts with: the local config file over the config saved last; a
   * saved config that cannot be read is left out here (applying it at {@link #link} reports why).
   */
  private static SatelliteConfig startConfig(LocalConfig local, Path stateDirectory) {
    byte[] saved;
    try {
      saved = new SavedConfigFile(stateDirectory, Clock.systemUTC()).load()
          .map(SavedConfigFile.Saved::body).orElse(null);
    } catch (RuntimeException e) {
      saved = null;
    }
    if (saved == null) {
      return local == null ? SatelliteConfig.defaults() : local.config();
    }
    return SatelliteConfig.read(local == null ? saved : local.over(saved),
        SatelliteConfig.defaults()).config();
  }

  private static void closeSvids(X509Source svids) {
    if (svids != null) {
      try {
        svids.close();
      } catch (java.io.IOException | RuntimeException e) {
        log.warn("closing the SPIFFE Workload API connection: {}", e.toString());
      }
    }
  }

  /** The upstream client, with the registration's robot account. */
  public RegistryClient upstream() {
    return upstream;
  }

  /** The satellite state reference Ground Control handed out. */
  public String stateReference() {
    return robot.get().stateReference();
  }

  /** Whether Harbor and Ground Control accept the robot account, as last seen. */
  public CredentialState credentials() {
    return keeper.state();
  }

  /**
   * Runs {@code pass}, then tells the credential keeper what it found of the robot account (a
   * refused one is reported, a new token in the state directory tried). When the credentials were
   * replaced while the pass ran and it did not complete, it runs once more at once with the new
   * ones: what the first run placed is checkpointed and skipped, so nothing is copied twice.
   */
  public SyncReport pass(Supplier<SyncReport> pass) {
    long generation = robot.generation();
    refusals.take();
    SyncReport report = pass.get();
    keeper.passEnded(refusals.take());
    if (!report.ok() && !report.interrupted() && robot.generation() != generation
        && !Thread.currentThread().isInterrupted()) {
      log.info("the robot account's credentials were replaced during the pass; running it again"
          + " with the new ones");
      report = pass.get();
      keeper.passEnded(refusals.take());
    }
    return report;
  }

  /**
   * Host overrides the state source needs so that references on Harbor's published host reach
   * it where the Harbor registry URL says (none without one).
   */
  public Map<String, String> stateHostOverrides() {
    return harbor.stateOverrides();
  }

  /**
   * Links to the running satellite and reads the config once. Call before the reconciler is
   * built; {@link #attach} completes the link.
   *
   * @param builderEdge the edge given to the builder, or null
   * @throws SatelliteException when there is no edge: none given, and the config names none
   */
  public void link(Settings settings, OciStateSource stateSource, RegistryClient builderEdge,
      StateStore store, Path stateDirectory) {
    this.source = stateSource;
    this.desired = new UnpublishedSatelliteState(stateSource, robot.get().stateReference());
    this.savedConfig = new SavedConfigFile(stateDirectory, Clock.systemUTC());
    this.edge = builderEdge;
    this.builderEdge = builderEdge;
    this.link = new GroundControlLink(client, keeper, this, settings.logLevelHook(),
        settings.configListener(), new UsageFigures(stateDirectory), inPlace(store),
        Clock.systemUTC(), settings.fleetListener());
    Optional<String> configProblem = readConfig();
    if (edge == null) {
      throw new SatelliteException("no edge registry: give edge(client) to the builder, or have"
          + " Ground Control's config name local_registry.url"
          + configProblem.map(problem -> " (" + problem + ")").orElse(""));
    }
  }

  /** Completes the link once the satellite's replicator and reconciler exist. */
  public synchronized void attach(SwitchableReplicator switchable,
      Function<RegistryClient, RegistryReplicator> replicatorFactory, Reconciler built) {
    this.replicator = switchable;
    this.replicators = replicatorFactory;
    this.reconciler = built;
  }

  /** Completes the link once the satellite exists: config changes of the pass interval go there. */
  public synchronized void attach(Consumer<Duration> passIntervalSetter) {
    this.passInterval = passIntervalSetter;
  }

  /** The interval the config asks for between passes, if it asked. */
  public synchronized Optional<Duration> configuredPassInterval() {
    return Optional.ofNullable(pendingPassInterval);
  }

  /** Follows passes for the heartbeats, then tells {@code application} (may be null). */
  public SyncListener listener(SyncListener application) {
    return link.listener(application);
  }

  /**
   * The state source passes read: a satellite state that is not published (404) reads as no
   * groups and no config. Call after {@link #link}.
   */
  public StateSource stateSource() {
    return desired;
  }

  /** Applies each new config, then saves it in the state directory for a start without Harbor. */
  public ConfigHandler configHandler(ConfigHandler application) {
    ConfigHandler applying = link.configHandler(application);
    return (digest, body) -> {
      applying.configChanged(digest, withLocal(body));
      save(digest, body);
    };
  }

  private void save(String digest, byte[] body) {
    try {
      savedConfig.save(digest, body);
    } catch (RuntimeException e) {
      log.warn("the applied config could not be saved for a start without Harbor: {}",
          e.getMessage());
    }
  }

  /** The activity of the heartbeats until Ground Control accepts one. */
  public void reportOnce(String activity) {
    link.reportOnce(activity);
  }

  /** Starts the heartbeats. */
  public void start() {
    link.startHeartbeats();
  }

  @Override
  public void passInterval(Duration interval) {
    Consumer<Duration> setter;
    synchronized (this) {
      pendingPassInterval = interval;
      setter = passInterval;
    }
    if (setter != null) {
      setter.accept(interval); // outside this lock: the satellite takes its own
    }
  }

  @Override
  public synchronized void edgeChanged(SatelliteConfig config) {
    tellOfTransportChange(config);
    RegistryClient next;
    if (config.localRegistry().isEmpty() || !EdgePrecedence.configNamesTheEdge(
        builderEdge != null, config.bringOwnRegistry())) {
      Optional<String> unused = config.localRegistryUrl();
      if (unused.isPresent() && !unused.get().equals(toldUnusedEdge)) {
        toldUnusedEdge = unused.get();
        log.info("config: local_registry.url {} is not used: the edge given ({}) stays, as"
            + " bring_own_registry is not true", unused.get(), builderEdge.registry());
      }
      next = builderEdge;
      configEdgeFrom = null;
      if (next == null || next == edge) {
        return;
      }
    } else {
      List<Object> from =
          List.of(config.localRegistryUrl().orElseThrow(), config.localRegistry().get());
      if (from.equals(configEdgeFrom)) {
        return; // only tls or use_unsecure for Ground Control and Harbor changed
      }
      try {
        next = EdgeFromConfig.build(config, http);
      } catch (RuntimeException e) {
        log.warn("config: the edge registry it names cannot be used, the current one stays: {}",
            e.getMessage());
        return;
      }
      configEdges.add(next);
      configEdgeFrom = from;
    }
    RegistryClient previous = edge;
    edge = next;
    if (replicator != null) {
      replicator.switchTo(replicators.apply(next));
      reconciler.recheckEdgeNextPass();
      log.info("config: images go to {} from now on (was {}); the next pass checks each there",
          next.registry(), previous == null ? "none" : previous.registry());
    } else if (previous != null) {
      log.info("config: images go to {}, as Ground Control's config says, not {}",
          next.registry(), previous.registry());
    }
  }

  /**
   * Logs once per new value that the config's {@code tls} or {@code use_unsecure} for Ground
   * Control and Harbor differ from those the satellite started with: they apply at the next start.
   */
  private void tellOfTransportChange(SatelliteConfig config) {
    String transport = config.tls() + " " + config.useUnsecure();
    if ((!config.tls().equals(startConfig.tls())
        || config.useUnsecure() != startConfig.useUnsecure())
        && !transport.equals(toldTransport)) {
      toldTransport = transport;
      log.warn("config: tls or use_unsecure for Ground Control and Harbor changed (use_unsecure"
          + " {}, was {}); they are saved and apply from the next start", config.useUnsecure(),
          startConfig.useUnsecure());
    }
  }

  /** {@code body} with the local config file laid over it, when there is one. */
  private byte[] withLocal(byte[] body) {
    return localConfig == null ? body : localConfig.over(body);
  }

  @Override
  public boolean leading() {
    return leading.getAsBoolean();
  }

  /** The edge the satellite copies to now. */
  @Override
  public RegistryClient edge() {
    return edge;
  }

  @Override
  public Optional<String> satelliteStateDigest() {
    return source.satelliteStateDigest();
  }

  /**
   * Reads and applies the config now; when Harbor cannot give it, applies the one saved last.
   * Returns why no config could be applied, if none could.
   */
  private Optional<String> readConfig() {
    String problem;
    try {
      SatelliteState state = desired.fetchSatelliteState();
      if (state.configRef().isPresent()) {
        String ref = state.configRef().get();
        String digest = source.configDigest(ref);
        byte[] body = source.fetchConfig(ref);
        link.configHandler(null).configChanged(digest, withLocal(body));
        save(digest, body);
        return Optional.empty();
      }
      problem = "the satellite state names no config";
    } catch (RuntimeException e) {
      problem = e.getMessage();
      log.warn("the config could not be read or applied at start; a pass applies it when it"
          + " reads it: {}", problem);
    }
    return applySaved(problem);
  }

  /** Applies the config saved last, if there is a usable one. */
  private Optional<String> applySaved(String problem) {
    try {
      Optional<SavedConfigFile.Saved> saved = savedConfig.load();
      if (saved.isEmpty()) {
        return applyLocal(problem);
      }
      link.configHandler(null).configChanged(saved.get().digest(), withLocal(saved.get().body()));
      log.info("starting with the config saved at {} ({}), until Harbor gives a newer one",
          saved.get().savedAt(), saved.get().digest());
      return Optional.empty();
    } catch (RuntimeException e) {
      log.warn("the saved config is not applied either: {}", e.getMessage());
      return Optional.of(problem + "; " + e.getMessage());
    }
  }

  /** Applies the local config file alone, if there is one. */
  private Optional<String> applyLocal(String problem) {
    if (localConfig == null) {
      return Optional.of(problem);
    }
    link.apply(localConfig.config());
    log.info("starting with the config of {} until Ground Control's is read",
        localConfig.file());
    return Optional.empty();
  }

  private static Checkpoint inPlace(StateStore store) {
    try {
      return store.load().orElse(Checkpoint.EMPTY);
    } catch (RuntimeException e) {
      return Checkpoint.EMPTY;
    }
  }

  /**
   * Stops the heartbeats; closes the Ground Control, upstream and config-built edge clients, then
   * the SPIFFE identity's Workload API connection.
   */
  @Override
  public void close() {
    if (link != null) {
      link.close();
    } else {
      client.close();
    }
    upstream.close();
    configEdges.forEach(RegistryClient::close);
    closeSvids(svids);
  }
}
