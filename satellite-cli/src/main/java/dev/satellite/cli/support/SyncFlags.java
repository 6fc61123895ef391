package dev.satellite.cli.support;

import dev.satellite.agent.Satellite;
import dev.satellite.registry.ImageReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options {@code SyncCommand} and {@code AgentCommand} share, as a picocli mixin; {@link
 * #options} checks them and turns them into {@link SyncOptions}.
 */
public final class SyncFlags {
  @Option(names = "--state", paramLabel = "<ref>", order = 1,
      description = "satellite state artifact, e.g. "
          + "http://127.0.0.1:5101/satellite/satellite-state/edge-1/state:latest "
          + "(http:// = plain HTTP; no scheme = HTTPS)")
  String state;

  @Option(names = "--destination", paramLabel = "<url>", order = 2,
      description = "edge registry base URL, e.g. http://127.0.0.1:5102")
  String destination;

  @Option(names = "--checkpoint", paramLabel = "<path>", order = 3,
      defaultValue = SyncOptions.DEFAULT_CHECKPOINT,
      description = "checkpoint file (default ./${DEFAULT-VALUE})")
  Path checkpoint;

  @Option(names = "--source-user", paramLabel = "<name>", order = 10,
      description = "upstream user; password from env SATELLITE_SOURCE_PASSWORD")
  String sourceUser;

  @Option(names = "--source-ca", paramLabel = "<pem>", order = 11,
      description = "CA bundle trusted for the upstream (instead of the system's)")
  Path sourceCa;

  @Option(names = "--source-cert", paramLabel = "<pem>", order = 12,
      description = "client certificate for the upstream (mTLS), with --source-key")
  Path sourceCert;

  @Option(names = "--source-key", paramLabel = "<pem>", order = 13,
      description = "private key (PKCS#8 PEM) of --source-cert")
  Path sourceKey;

  @Option(names = "--source-insecure-skip-verify", order = 14,
      description = "do not verify the upstream's TLS certificate")
  boolean sourceInsecureSkipVerify;

  @Option(names = "--destination-user", paramLabel = "<name>", order = 20,
      description = "edge user; password from env SATELLITE_DESTINATION_PASSWORD")
  String destinationUser;

  @Option(names = "--destination-ca", paramLabel = "<pem>", order = 21,
      description = "CA bundle trusted for the edge registry")
  Path destinationCa;

  @Option(names = "--destination-cert", paramLabel = "<pem>", order = 22,
      description = "client certificate for the edge registry, with --destination-key")
  Path destinationCert;

  @Option(names = "--destination-key", paramLabel = "<pem>", order = 23,
      description = "private key (PKCS#8 PEM) of --destination-cert")
  Path destinationKey;

  @Option(names = "--destination-insecure-skip-verify", order = 24,
      description = "do not verify the edge registry's TLS certificate")
  boolean destinationInsecureSkipVerify;

  @Option(names = "--host-override", paramLabel = "<host:port>", order = 30,
      description = "reach every host named inside state artifacts at host:port; "
          + "or <published>=<host:port> for one published host")
  String hostOverride;

  @Option(names = "--upload-journal", paramLabel = "<dir>", order = 31,
      description = "where copies of large blobs (64 MiB and up) keep their progress, so that "
          + "after a crash they continue where they stopped (default <checkpoint>.uploads)")
  Path uploadJournal;

  @Option(names = "--no-resume", order = 32,
      description = "copy large blobs in one stream, without an upload journal")
  boolean noResume;

  @Mixin LinkFlags link = new LinkFlags();

  @Mixin ReferrerFlags referrers = new ReferrerFlags();

  @Option(names = "--json", order = 40,
      description = "print the sync report as one JSON object on stdout")
  boolean json;

  @Option(names = "--help", usageHelp = true, order = 99, description = "print this help")
  boolean help;

  /**
   * @param env the environment, for the password variables
   * @param interval the agent's time between passes; empty for one pass
   * @throws UsageException naming the first problem found
   */
  public SyncOptions options(Map<String, String> env, Optional<Duration> interval) {
    require("--state=<ref>", state);
    require("--destination=<url>", destination);
    ImageReference reference;
    try {
      reference = ImageReference.parse(state);
    } catch (IllegalArgumentException e) {
      throw new UsageException("option --state: " + e.getMessage());
    }
    return options(env, interval, state, reference.baseUrl("https"),
        baseUrl("destination", destination), Optional.empty());
  }

  /**
   * The options of a satellite in a Harbor Satellite fleet: Ground Control hands out the state
   * reference and the upstream's robot account, so {@code --state} and {@code --source-user} are
   * refused; {@code --destination} may be left to Ground Control's config.
   *
   * @throws UsageException naming the first problem found
   */
  public SyncOptions fleetOptions(
      Map<String, String> env, Optional<Duration> interval, FleetOptions fleet) {
    if (state != null) {
      throw new UsageException("options --state and --ground-control exclude each other"
          + " (Ground Control hands out the state reference)");
    }
    if (sourceUser != null) {
      throw new UsageException("options --source-user and --ground-control exclude each other"
          + " (Ground Control hands out the upstream's robot account)");
    }
    return options(env, interval, null, null,
        destination == null ? null : baseUrl("destination", destination), Optional.of(fleet));
  }

  /** Whether {@code --state} was given (a satellite outside a fleet). */
  public boolean hasState() {
    return state != null;
  }

  /** Whether {@code --destination} was given. */
  public boolean hasDestination() {
    return destination != null;
  }

  private static void require(String option, String value) {
    if (value == null) {
      throw new UsageException("Missing required option: '" + option + "' (see --help)");
    }
  }

  private SyncOptions options(Map<String, String> env, Optional<Duration> interval,
      String stateRef, String upstreamBaseUrl, String destinationUrl,
      Optional<FleetOptions> fleet) {
    if (noResume && uploadJournal != null) {
      throw new UsageException("options --no-resume and --upload-journal exclude each other");
    }
    Optional<Path> journal = noResume ? Optional.empty()
        : Optional.of(uploadJournal != null ? uploadJournal
            : checkpoint.resolveSibling(checkpoint.getFileName() + ".uploads"));
    return new SyncOptions(
        stateRef,
        upstreamBaseUrl,
        destinationUrl,
        checkpoint,
        EndpointOptions.of("source", sourceUser, env)
            .tls(sourceCa, sourceCert, sourceKey, sourceInsecureSkipVerify),
        EndpointOptions.of("destination", destinationUser, env)
            .tls(destinationCa, destinationCert, destinationKey, destinationInsecureSkipVerify),
        json,
        journal,
        interval,
        settings(),
        RuntimeMirrorOptions.NONE,
        fleet,
        Optional.empty(),
        Operations.NONE);
  }

  /**
   * The options that go to a satellite's builder as they are, checked now: a mistake is a {@link
   * UsageException} before anything is set up.
   */
  private Consumer<Satellite.Builder> settings() {
    Optional<Map.Entry<String, String>> override =
        Optional.ofNullable(hostOverride).map(SyncFlags::hostOverride);
    LinkFlags.Link linkSettings = link.options();
    ReferrerFlags.Choice referrerSettings = referrers.options();
    return builder -> {
      override.ifPresent(o -> builder.hostOverride(o.getKey(), o.getValue()));
      linkSettings.applyTo(builder);
      referrerSettings.applyTo(builder);
    };
  }

  private static String baseUrl(String option, String url) {
    if (!url.matches("https?://[^/?#\\s]+/?")) {
      throw new UsageException(
          "option --" + option + ": '" + url + "' is not a registry base URL "
              + "(use http://host:port or https://host[:port])");
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static Map.Entry<String, String> hostOverride(String text) {
    int equals = text.indexOf('=');
    String published = equals < 0 ? "*" : text.substring(0, equals);
    String reached = text.substring(equals + 1);
    String host = "[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]";
    if (!reached.matches("(" + host + ")(:\\d{1,5})?")
        || !(published.equals("*") || published.matches("(" + host + ")(:\\d{1,5})?"))) {
      throw new UsageException(
          "option --host-override: '" + text + "' is not host[:port] or published-host=host[:port]");
    }
    return Map.entry(published, reached);
  }
}
