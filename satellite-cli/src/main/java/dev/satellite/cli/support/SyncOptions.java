package dev.satellite.cli.support;

import dev.satellite.agent.Satellite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The command line of {@code SyncCommand} and {@code AgentCommand}, parsed and checked ({@link
 * SyncFlags}): every mistake becomes a one-line {@link UsageException} before anything is contacted.
 *
 * @param stateRef the satellite state reference as given ({@code http://} = plain HTTP, no scheme
 *     = HTTPS)
 * @param upstreamBaseUrl {@code scheme://host[:port]} of the registry holding the satellite state
 * @param destinationUrl base URL of the edge registry
 * @param uploadJournal directory where large blob copies in progress are kept so that they
 *     continue after a restart (default: next to the checkpoint); empty with {@code --no-resume}
 * @param interval time between passes (agent only)
 * @param settings the checked options that go to {@link Satellite.Builder} as they are, whatever
 *     else is set up: the host override, the link's ({@link LinkFlags}), the referrers' ({@link
 *     ReferrerFlags}); an option of that kind is added there alone
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
    boolean json,
    Optional<Path> uploadJournal,
    Optional<Duration> interval,
    Consumer<Satellite.Builder> settings,
    RuntimeMirrorOptions runtimeMirrors,
    Optional<FleetOptions> fleet,
    Optional<StateDbOptions> stateDb,
    Operations operations) {

  public static final String DEFAULT_CHECKPOINT = "satellite-checkpoint.json";

  /** These options with {@code runtimeMirrors} instead. */
  public SyncOptions withRuntimeMirrors(RuntimeMirrorOptions runtimeMirrors) {
    return new SyncOptions(stateRef, upstreamBaseUrl, destinationUrl, checkpoint, source,
        destination, json, uploadJournal, interval, settings, runtimeMirrors,
        fleet, stateDb, operations);
  }

  /** These options with the checkpoint and leader lease in {@code database}. */
  public SyncOptions withStateDb(StateDbOptions database) {
    return new SyncOptions(stateRef, upstreamBaseUrl, destinationUrl, checkpoint, source,
        destination, json, uploadJournal, interval, settings, runtimeMirrors,
        fleet, Optional.of(database), operations);
  }

  /** These options with {@code operations} instead. */
  public SyncOptions withOperations(Operations operations) {
    return new SyncOptions(stateRef, upstreamBaseUrl, destinationUrl, checkpoint, source,
        destination, json, uploadJournal, interval, settings, runtimeMirrors,
        fleet, stateDb, operations);
  }
}
