package dev.satellite.cli.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@code SyncCommand} and {@code AgentCommand}, parsed and checked ({@link
 * SyncFlags}): every mistake becomes a one-line {@link UsageException} before anything is contacted.
 *
 * @param stateRef the satellite state reference as given ({@code http://} = plain HTTP, no scheme
 *     = HTTPS)
 * @param upstreamBaseUrl {@code scheme://host[:port]} of the registry holding the satellite state
 * @param destinationUrl base URL of the edge registry
 * @param hostOverride published host to reached host; the published host {@code *} stands for any
 *     host named inside the state artifacts
 * @param uploadJournal directory where large blob copies in progress are kept so that they
 *     continue after a restart (default: next to the checkpoint); empty with {@code --no-resume}
 * @param interval time between passes (agent only)
 * @param link bandwidth cap, sync windows and byte budget ({@link LinkFlags})
 * @param referrers which referrers travel with the images, and the signature policy ({@link
 *     ReferrerFlags})
 * @param runtimeMirrors the container runtimes' mirror configuration (agent only)
 * @param fleet Ground Control to join (agent only); then {@code stateRef} and {@code
 *     upstreamBaseUrl} are null (Ground Control hands them out) and {@code destinationUrl} may be
 *     null (the config's {@code local_registry.url} then names the edge)
 * @param stateDb the PostgreSQL database holding the checkpoint and the leader lease the agents
 *     of one site share (agent only); the checkpoint file is then not used
 * @param operations metrics and probes endpoint, audit log, runtime reloads (agent only)
 */
public record SyncOptions(
    String stateRef,
    String upstreamBaseUrl,
    String destinationUrl,
    Path checkpoint,
    EndpointOptions source,
    EndpointOptions destination,
    Optional<Map.Entry<String, String>> hostOverride,
    boolean json,
    Optional<Path> uploadJournal,
    Optional<Duration> interval,
    LinkFlags.Link link,
    ReferrerFlags.Choice referrers,
    RuntimeMirrorOptions runtimeMirrors,
    Optional<FleetOptions> fleet,
    Optional<StateDbOptions> stateDb,
    Operations operations) {

  public static final String DEFAULT_CHECKPOINT = "satellite-checkpoint.json";

  /** These options with {@code runtimeMirrors} instead. */
  public SyncOptions withRuntimeMirrors(RuntimeMirrorOptions runtimeMirrors) {
    return new SyncOptions(stateRef, upstreamBaseUrl, destinationUrl, checkpoint, source,
        destination, hostOverride, json, uploadJournal, interval, link, referrers, runtimeMirrors,
        fleet, stateDb, operations);
  }

  /** These options with the checkpoint and leader lease in {@code database}. */
  public SyncOptions withStateDb(StateDbOptions database) {
    return new SyncOptions(stateRef, upstreamBaseUrl, destinationUrl, checkpoint, source,
        destination, hostOverride, json, uploadJournal, interval, link, referrers, runtimeMirrors,
        fleet, Optional.of(database), operations);
  }

  /** These options with {@code operations} instead. */
  public SyncOptions withOperations(Operations operations) {
    return new SyncOptions(stateRef, upstreamBaseUrl, destinationUrl, checkpoint, source,
        destination, hostOverride, json, uploadJournal, interval, link, referrers, runtimeMirrors,
        fleet, stateDb, operations);
  }
}
