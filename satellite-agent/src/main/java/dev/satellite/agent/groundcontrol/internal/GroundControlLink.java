package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.Heartbeat;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.internal.support.RunLoop;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.ConfigHandler;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.RegistryClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running satellite's link to Ground Control: it reads the typed config out of each new config
 * state and applies it, and sends heartbeats on a schedule of their own.
 *
 * <p><b>Heartbeats</b> run on their own thread ({@value #THREAD_NAME}), {@code heartbeat_interval}
 * apart (default 30 s), independent of sync passes: a slow pass never delays a beat, and a beat
 * that fails (Ground Control down, 403, ...) is logged and never stops syncing. Each beat reports
 * what the last pass left: the satellite state digest read, the config digest applied, the pass's
 * duration, and the images the checkpoint records in place, with their sizes.
 *
 * <p><b>Config</b>: each changed config state is read with {@link SatelliteConfig#read} (invalid
 * values are logged at WARN and keep their previous value), then applied: the pass interval
 * (next pass), the heartbeat interval (next beat), the metrics flags (next beat), the edge
 * registry ({@code local_registry}, {@code use_unsecure}, {@code tls}: the {@link Target} rebuilds
 * it), the log level (handed to the application's hook), and finally the application's own
 * handlers.
 */
public final class GroundControlLink implements AutoCloseable {
  public static final String THREAD_NAME = "satellite-heartbeat";
  private static final Logger log = LoggerFactory.getLogger(GroundControlLink.class);

  /** What the running satellite lets the config change. */
  public interface Target {
    /** Time between the end of a pass and the start of the next. */
    void passInterval(Duration interval);

    /** The edge registry changed ({@code local_registry}, {@code use_unsecure} or {@code tls}). */
    void edgeChanged(SatelliteConfig config);

    /** The edge registry copied to now, for the heartbeat's image references and sizes. */
    RegistryClient edge();

    /** The satellite state digest last read, if any. */
    Optional<String> satelliteStateDigest();

    /**
     * Whether this satellite leads its site: a standby (another agent under the same name holds
     * the leader lease) sends no heartbeat.
     */
    boolean leading();
  }

  private final GroundControlClient client;
  private final Registration registration;
  private final Target target;
  private final Consumer<String> logLevelHook;
  private final Consumer<SatelliteConfig> configListener;
  private final CachedImages cachedImages = new CachedImages();
  private final UsageFigures usage;
  private final Clock clock;
  private final FleetListener fleetListener;
  private final RunLoop heartbeats;
  private volatile SatelliteConfig config = SatelliteConfig.defaults();
  private volatile Checkpoint inPlace = Checkpoint.EMPTY;
  private volatile SyncReport lastReport;
  private volatile boolean syncing;

  /**
   * @param logLevelHook told of {@code log_level} when it changes; may be null
   * @param configListener told of every config read; may be null
   * @param inPlace what the checkpoint records in place at start
   */
  public GroundControlLink(GroundControlClient client, Registration registration, Target target,
      Consumer<String> logLevelHook, Consumer<SatelliteConfig> configListener, UsageFigures usage,
      Checkpoint inPlace, Clock clock) {
    this(client, registration, target, logLevelHook, configListener, usage, inPlace, clock,
        new FleetListener() {});
  }

  /** @param fleetListener told of configs applied and heartbeats */
  public GroundControlLink(GroundControlClient client, Registration registration, Target target,
      Consumer<String> logLevelHook, Consumer<SatelliteConfig> configListener, UsageFigures usage,
      Checkpoint inPlace, Clock clock, FleetListener fleetListener) {
    this.fleetListener = Objects.requireNonNull(fleetListener, "fleetListener");
    this.client = Objects.requireNonNull(client, "client");
    this.registration = Objects.requireNonNull(registration, "registration");
    this.target = Objects.requireNonNull(target, "target");
    this.logLevelHook = logLevelHook;
    this.configListener = configListener;
    this.usage = usage;
    this.inPlace = inPlace;
    this.clock = clock;
    this.heartbeats = new RunLoop(THREAD_NAME, true, config.heartbeatInterval(), this::beat);
  }

  /** The config applied last (defaults before any). */
  public SatelliteConfig config() {
    return config;
  }

  /**
   * Follows passes (whether one runs, the checkpoint it saves, its report), then tells {@code
   * application} (may be null) of every event.
   */
  public SyncListener listener(SyncListener application) {
    SyncListener tracker = new SyncListener() {
      @Override
      public void syncStarted() {
        syncing = true;
      }

      @Override
      public void checkpointSaved(Checkpoint checkpoint) {
        inPlace = checkpoint;
      }

      @Override
      public void syncFinished(SyncReport report) {
        lastReport = report;
        syncing = false;
      }
    };
    return application == null ? tracker : SyncListener.all(tracker, application);
  }

  /**
   * A config handler that reads and applies the typed config, then hands the config to {@code
   * application} (may be null). A failure of the application's handler propagates (the config is
   * offered again next pass).
   */
  public ConfigHandler configHandler(ConfigHandler application) {
    return (digest, body) -> {
      SatelliteConfig.Reading reading = SatelliteConfig.read(body, config);
      reading.problems().forEach(problem -> log.warn("config {}: {}", digest, problem));
      apply(reading.config());
      fleetListener.configApplied(digest);
      if (application != null) {
        application.configChanged(digest, body);
      }
    };
  }

  /** Applies {@code next}: what differs from the config applied last takes effect. */
  public synchronized void apply(SatelliteConfig next) {
    SatelliteConfig previous = config;
    config = next;
    if (!next.stateReplicationInterval().equals(previous.stateReplicationInterval())) {
      log.info("config: sync passes {} s apart from now on",
          next.stateReplicationInterval().toSeconds());
      target.passInterval(next.stateReplicationInterval());
    }
    if (!next.heartbeatInterval().equals(previous.heartbeatInterval())) {
      log.info("config: heartbeats {} s apart from now on", next.heartbeatInterval().toSeconds());
      heartbeats.interval(next.heartbeatInterval());
    }
    if (!next.localRegistry().equals(previous.localRegistry())
        || next.useUnsecure() != previous.useUnsecure() || !next.tls().equals(previous.tls())) {
      target.edgeChanged(next);
    }
    if (logLevelHook != null && next.logLevel().isPresent()
        && !next.logLevel().equals(previous.logLevel())) {
      logLevelHook.accept(next.logLevel().get());
    }
    if (configListener != null) {
      configListener.accept(next);
    }
  }

  /** Starts the heartbeats: the first now, each next one {@code heartbeat_interval} later. */
  public void startHeartbeats() {
    heartbeats.start();
  }

  /** Composes the heartbeat for now. */
  public Heartbeat compose() {
    SatelliteConfig current = config;
    SyncReport report = lastReport;
    List<Heartbeat.CachedImage> images = cachedImages.of(inPlace, target.edge());
    return Heartbeat.builder(registration.satelliteName())
        .activity(activity(report))
        .stateReportInterval(current.heartbeatInterval())
        .latestStateDigest(target.satelliteStateDigest().orElse(""))
        .latestConfigDigest(inPlace.configDigest().orElse(""))
        .memoryUsedBytes(current.metrics().collectMemory() ? usage.memoryUsedBytes() : 0)
        .storageUsedBytes(current.metrics().collectStorage() ? usage.storageUsedBytes() : 0)
        .cpuPercent(current.metrics().collectCpu() ? usage.cpuPercent() : 0)
        .createdAt(clock.instant())
        .lastSyncDuration(report == null ? Duration.ZERO : report.duration())
        .cachedImages(images)
        .build();
  }

  /** Sends one heartbeat, unless this satellite is a standby; a failure is logged, never thrown. */
  public void beat() {
    if (!target.leading()) {
      log.debug("standby: no heartbeat (the leader of this satellite's site sends them)");
      return;
    }
    Heartbeat heartbeat;
    try {
      heartbeat = compose();
    } catch (RuntimeException e) {
      log.warn("heartbeat not sent: composing it failed: {}", e.toString());
      return;
    }
    try {
      int status = client.heartbeat(registration, heartbeat);
      int images = heartbeat.cachedImages().size();
      log.info("heartbeat to Ground Control: {}, {} image{}", status, images,
          images == 1 ? "" : "s");
      fleetListener.heartbeatDelivered(status);
    } catch (GroundControlException e) {
      log.warn("heartbeat to Ground Control failed: {}", e.getMessage());
      fleetListener.heartbeatFailed(e.getMessage());
    }
  }

  private String activity(SyncReport report) {
    if (syncing) {
      return "syncing";
    }
    if (report == null) {
      return "starting";
    }
    if (report.ok()) {
      return "idle: last sync complete";
    }
    return "idle: last sync incomplete (" + report.failed() + " failed, " + report.errors().size()
        + " errors)";
  }

  /** Stops the heartbeats (a beat in progress is interrupted) and closes the client. */
  @Override
  public void close() {
    heartbeats.stop(Duration.ofSeconds(10));
    client.close();
  }
}
