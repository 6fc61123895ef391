package dev.satellite.agent.internal;

import dev.satellite.agent.config.LocalConfig;
import dev.satellite.agent.groundcontrol.CredentialState;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.internal.GroundControlLink;
import dev.satellite.agent.groundcontrol.internal.SavedConfigFile;
import dev.satellite.agent.groundcontrol.internal.UsageFigures;
import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.ConfigHandler;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.StateSource;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
import dev.satellite.registry.TlsOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A satellite's membership of a Harbor Satellite fleet at work, as the {@code Satellite} uses it:
 * built once, every field final, from what the member is ({@link Membership}: registration,
 * clients, robot account), after the config it starts with was read ({@link StartConfig}), and
 * before the reconciler, whose replicator ({@link #replicator()}) it provides.
 *
 * <p><b>What it runs.</b> The heartbeats ({@link GroundControlLink}), the edge switch ({@link
 * EdgeSwitch}), the pass interval the config asks for ({@link PassSchedule}) and the fleet's part
 * of the config appliers ({@link #configAppliers}): pass interval, heartbeat interval, edge, the
 * notice that {@code tls}/{@code use_unsecure} apply from the next start, log level; each config
 * applied is then saved in the state directory for a start without Harbor.
 *
 * <p><b>Precedence</b>, for every setting: the builder's (the command line's) value, else the
 * local config file's ({@link LocalConfig}, laid over each config state), else Ground Control's
 * config state, else the default.
 *
 * <p><b>Close order</b> ({@link #close}): the heartbeats stop, then the edge switch closes its
 * replicators and the edge clients built from the config, then the membership closes the Ground
 * Control and upstream clients and the SPIFFE source. The reconciler, which uses the replicator,
 * is closed before this.
 */
public final class Fleet implements AutoCloseable {
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
   * @param logLevelHook told of {@code log_level} when it changes; may be null
   * @param spiffe how to join with a SPIFFE identity instead of a token, or null
   * @param leading whether this satellite leads its site now: a standby sends no heartbeat
   * @param localConfig the node's own config file, or null
   */
  public record Settings(String groundControlUrl, Optional<String> token,
      TlsOptions groundControlTls, TlsOptions upstreamTls, Duration registrationInterval,
      Optional<Duration> registrationPatience, Optional<String> harborRegistryUrl,
      Map<String, String> hostOverrides, Consumer<String> logLevelHook, SpiffeOptions spiffe,
      BooleanSupplier leading, FleetListener fleetListener, HttpObserver http,
      LocalConfig localConfig) {
    public Settings {
      Objects.requireNonNull(fleetListener, "fleetListener");
      Objects.requireNonNull(http, "http");
    }
  }

  private final Membership member;
  private final Settings settings;
  private final StartConfig start;
  private final SavedConfigFile savedConfig;
  private final StateSource desired;
  private final EdgeSwitch edges;
  private final GroundControlLink link;
  private final PassSchedule schedule = new PassSchedule();

  private Fleet(Membership member, Settings settings, StartConfig start,
      SavedConfigFile savedConfig, StateSource desired, EdgeSwitch edges, GroundControlLink link) {
    this.member = member;
    this.settings = settings;
    this.start = start;
    this.savedConfig = savedConfig;
    this.desired = desired;
    this.edges = edges;
    this.link = link;
  }

  /**
   * Reads the config the member starts with, opens the edge switch on the edge it names (or
   * {@code builderEdge}) and links to Ground Control; takes ownership of {@code member}, which is
   * closed when this fails.
   *
   * @param source the satellite state, read through the member's upstream client
   * @param stateDigest the satellite state digest last read, for the heartbeats
   * @param builderEdge the edge given to the builder, or null
   * @param replicators a replicator to a given edge
   * @throws SatelliteException when there is no edge: none given, and the config names none
   */
  public static Fleet open(Membership member, Settings settings, StateSource source,
      Supplier<Optional<String>> stateDigest, RegistryClient builderEdge,
      Function<RegistryClient, RegistryReplicator> replicators, StateStore store,
      Path stateDirectory) {
    EdgeSwitch edges = null;
    try {
      StateSource desired = new UnpublishedSatelliteState(source, member.stateReference());
      SavedConfigFile savedConfig = new SavedConfigFile(stateDirectory, Clock.systemUTC());
      StartConfig start = StartConfig.read(desired, savedConfig, settings.localConfig());
      edges = EdgeSwitch.open(builderEdge, start.config(), start.problem(), settings.http(),
          replicators);
      return new Fleet(member, settings, start, savedConfig, desired, edges,
          link(member, settings, edges, stateDigest, store, stateDirectory));
    } catch (RuntimeException e) {
      if (edges != null) {
        edges.close();
      }
      member.close();
      throw e;
    }
  }

  /** The heartbeats' link to Ground Control, reporting the edge in force. */
  private static GroundControlLink link(Membership member, Settings settings, EdgeSwitch edges,
      Supplier<Optional<String>> stateDigest, StateStore store, Path stateDirectory) {
    return new GroundControlLink(member.client(), member.keeper(),
        new GroundControlLink.Target() {
          @Override
          public RegistryClient edge() {
            return edges.edge();
          }

          @Override
          public Optional<String> satelliteStateDigest() {
            return stateDigest.get();
          }

          @Override
          public boolean leading() {
            return settings.leading().getAsBoolean();
          }
        }, new UsageFigures(stateDirectory), inPlace(store), Clock.systemUTC(),
        settings.fleetListener());
  }

  private static Checkpoint inPlace(StateStore store) {
    try {
      return store.load().orElse(Checkpoint.EMPTY);
    } catch (RuntimeException e) {
      return Checkpoint.EMPTY;
    }
  }

  /**
   * The config appliers of a fleet member: the fleet's own (pass interval, heartbeats, edge,
   * transport notice, log level), then {@code after}, in that order; each config applied is told
   * to the fleet listener and saved; the local config file is laid over each body.
   *
   * @param application the application's handler of configs passes read, or null
   */
  public ConfigAppliers configAppliers(List<ConfigAppliers.Applier> after,
      ConfigHandler application) {
    List<ConfigAppliers.Applier> all = new ArrayList<>();
    all.add(schedule);
    all.add((previous, next) -> link.configApplied(next));
    all.add(edges);
    all.add(FleetTransport.changeNotice(member.startConfig()));
    all.add(logLevel(settings.logLevelHook()));
    all.addAll(after);
    LocalConfig local = settings.localConfig();
    return new ConfigAppliers(all, local == null ? body -> body : local::over, application,
        (digest, body) -> {
          settings.fleetListener().configApplied(digest);
          save(digest, body);
        });
  }

  private static ConfigAppliers.Applier logLevel(Consumer<String> hook) {
    return (previous, next) -> {
      if (hook != null && next.logLevel().isPresent()
          && !next.logLevel().equals(previous.logLevel())) {
        hook.accept(next.logLevel().get());
      }
    };
  }

  /** Applies the config the member started with through {@code appliers}. */
  public void applyStartConfig(ConfigAppliers appliers) {
    start.applyTo(appliers);
  }

  private void save(String digest, byte[] body) {
    try {
      savedConfig.save(digest, body);
    } catch (RuntimeException e) {
      log.warn("the applied config could not be saved for a start without Harbor: {}",
          e.getMessage());
    }
  }

  /** The replicator the reconciler uses: to the edge in force. */
  public SwitchableReplicator replicator() {
    return edges.replicator();
  }

  /** Changes whenever the edge does; for the reconciler's {@code edgeGeneration}. */
  public long edgeGeneration() {
    return edges.generation();
  }

  /** The edge the satellite copies to now. */
  public RegistryClient edge() {
    return edges.edge();
  }

  /**
   * The state source passes read: a satellite state that is not published (404) reads as no
   * groups and no config.
   */
  public StateSource stateSource() {
    return desired;
  }

  /** The pass interval the config asks for; the pass loop follows it. */
  public PassSchedule schedule() {
    return schedule;
  }

  /** Follows passes for the heartbeats, then tells {@code application} (may be null). */
  public SyncListener listener(SyncListener application) {
    return link.listener(application);
  }

  /** Runs {@code pass} as the member's robot account; see {@link Membership#pass}. */
  public SyncReport pass(Supplier<SyncReport> pass) {
    return member.pass(pass);
  }

  /** Whether Harbor and Ground Control accept the robot account, as last seen. */
  public CredentialState credentials() {
    return member.credentials();
  }

  /** The activity of the heartbeats until Ground Control accepts one. */
  public void reportOnce(String activity) {
    link.reportOnce(activity);
  }

  /** Starts the heartbeats. */
  public void start() {
    link.startHeartbeats();
  }

  /** Stops the heartbeats, closes the edge switch, then the membership. */
  @Override
  public void close() {
    try {
      link.close();
      edges.close();
    } finally {
      member.close();
    }
  }
}
