package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.Heartbeat;
import dev.satellite.agent.groundcontrol.HeartbeatAnswer;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.internal.support.RunLoop;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.RegistryClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running satellite's heartbeats to Ground Control, on a schedule of their own.
 *
 * <p><b>Heartbeats</b> run on their own thread ({@value #THREAD_NAME}), {@code heartbeat_interval}
 * apart (default 30 s), independent of sync passes: a slow pass never delays a beat, and a beat
 * that fails (Ground Control down, 403, ...) is logged and never stops syncing. Each beat reports
 * what the last pass left: the satellite state digest read, the config digest applied, the pass's
 * duration, and the images the checkpoint records in place, with their sizes. Each beat is sent as
 * the {@link Robot} says now, and its answer (a credential refresh asked for, a refusal) goes
 * back to it.
 *
 * <p><b>Config</b>: the satellite tells the link of each config applied ({@link #configApplied}):
 * the heartbeat interval applies from the next beat, the metrics flags to the next beat's figures.
 * The link does not close the Ground Control client: its owner does, after {@link #close}.
 */
public final class GroundControlLink implements AutoCloseable {
  public static final String THREAD_NAME = "satellite-heartbeat";
  private static final Logger log = LoggerFactory.getLogger(GroundControlLink.class);

  /** What the heartbeats report of the running satellite. */
  public interface Target {
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

  /**
   * The robot account heartbeats are sent as, told how Ground Control answered (a refresh asked
   * for, a refusal); see {@link CredentialKeeper}.
   */
  public interface Robot {
    /** The registration to send the next heartbeat with. */
    Registration registration();

    /** Ground Control accepted a heartbeat and answered {@code answer}. */
    default void accepted(HeartbeatAnswer answer) {}

    /** Ground Control answered a heartbeat with {@code failure}, or could not be reached. */
    default void refused(GroundControlException failure) {}

    /** Added to the heartbeat's activity: empty, or {@code "; "} and what is wrong. */
    default String activityNote() {
      return "";
    }

    /** A robot account that never changes and ignores Ground Control's answers. */
    static Robot fixed(Registration registration) {
      Objects.requireNonNull(registration, "registration");
      return () -> registration;
    }
  }

  private final GroundControlClient client;
  private final Robot robot;
  private final Target target;
  private final CachedImages cachedImages = new CachedImages();
  private final UsageFigures usage;
  private final Clock clock;
  private final FleetListener fleetListener;
  private final RunLoop heartbeats;
  private volatile SatelliteConfig config = SatelliteConfig.defaults();
  private volatile Checkpoint inPlace = Checkpoint.EMPTY;
  private volatile SyncReport lastReport;
  private volatile boolean syncing;
  private final AtomicReference<String> firstActivity = new AtomicReference<>();

  /**
   * @param robot the robot account heartbeats are sent as, told of Ground Control's answers
   * @param inPlace what the checkpoint records in place at start
   * @param fleetListener told of heartbeats
   */
  public GroundControlLink(GroundControlClient client, Robot robot, Target target,
      UsageFigures usage, Checkpoint inPlace, Clock clock, FleetListener fleetListener) {
    this.fleetListener = Objects.requireNonNull(fleetListener, "fleetListener");
    this.client = Objects.requireNonNull(client, "client");
    this.robot = Objects.requireNonNull(robot, "robot");
    this.target = Objects.requireNonNull(target, "target");
    this.usage = usage;
    this.inPlace = inPlace;
    this.clock = clock;
    this.heartbeats = new RunLoop(THREAD_NAME, true, config.heartbeatInterval(), this::beat);
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
   * Takes {@code next}, the config just applied: its heartbeat interval applies to the wait in
   * progress, its metrics flags to the next beat.
   */
  public void configApplied(SatelliteConfig next) {
    SatelliteConfig previous = config;
    config = next;
    if (!next.heartbeatInterval().equals(previous.heartbeatInterval())) {
      log.info("config: heartbeats {} s apart from now on", next.heartbeatInterval().toSeconds());
      heartbeats.interval(next.heartbeatInterval());
    }
  }

  /**
   * Makes {@code activity} the activity of the heartbeats until Ground Control accepts one, as
   * the Go satellite reports its runtime configuration in its first heartbeat; later heartbeats
   * report passes again.
   */
  public void reportOnce(String activity) {
    firstActivity.set(Objects.requireNonNull(activity, "activity"));
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
    String once = firstActivity.get();
    return Heartbeat.builder(robot.registration().satelliteName())
        .activity((once != null ? once : activity(report)) + robot.activityNote())
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
    HeartbeatAnswer answer;
    try {
      answer = client.heartbeat(robot.registration(), heartbeat);
    } catch (GroundControlException e) {
      log.warn("heartbeat to Ground Control failed: {}", e.getMessage());
      fleetListener.heartbeatFailed(e.getMessage());
      told(() -> robot.refused(e));
      return;
    }
    // delivered: not reported again (unless a newer one was handed over meanwhile)
    firstActivity.updateAndGet(
        once -> once != null && heartbeat.activity().startsWith(once) ? null : once);
    int images = heartbeat.cachedImages().size();
    log.info("heartbeat to Ground Control: {}, {} image{}{}", answer.status(), images,
        images == 1 ? "" : "s", answer.events().isEmpty() ? "" : ", events " + answer.events());
    fleetListener.heartbeatDelivered(answer.status());
    told(() -> robot.accepted(answer));
  }

  /** Tells the robot account of an answer; what it does about it never stops the heartbeats. */
  private static void told(Runnable tell) {
    try {
      tell.run();
    } catch (RuntimeException e) {
      log.warn("acting on Ground Control's answer to a heartbeat failed: {}", e.toString());
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

  /** Stops the heartbeats (a beat in progress is interrupted); the client stays open. */
  @Override
  public void close() {
    heartbeats.stop(Duration.ofSeconds(10));
  }
}
