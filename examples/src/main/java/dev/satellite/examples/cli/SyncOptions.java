package dev.satellite.examples.cli;

import dev.satellite.registry.ImageReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line of {@code SyncOnce} and {@code SatelliteAgent}, parsed and checked: every
 * mistake becomes a one-line {@link UsageException} before anything is contacted.
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
    Optional<Duration> interval) {

  public static final String DEFAULT_CHECKPOINT = "satellite-checkpoint.json";

  /** Option names taking a value; {@code agent} adds {@code --interval}. */
  public static Set<String> valueOptions(boolean agent) {
    Set<String> names = new TreeSet<>(
        List.of("state", "destination", "checkpoint", "host-override", "upload-journal"));
    names.addAll(EndpointOptions.valueOptions("source"));
    names.addAll(EndpointOptions.valueOptions("destination"));
    if (agent) {
      names.add("interval");
    }
    return names;
  }

  public static Set<String> switchOptions() {
    Set<String> names = new TreeSet<>(List.of("json", "help", "no-resume"));
    names.addAll(EndpointOptions.switchOptions("source"));
    names.addAll(EndpointOptions.switchOptions("destination"));
    return names;
  }

  /**
   * @param env the environment, for the password variables
   * @throws UsageException naming the first problem found
   */
  public static SyncOptions parse(Arguments args, Map<String, String> env, boolean agent) {
    String stateRef = args.required("state");
    ImageReference state;
    try {
      state = ImageReference.parse(stateRef);
    } catch (IllegalArgumentException e) {
      throw new UsageException("option --state: " + e.getMessage());
    }
    String destination = baseUrl("destination", args.required("destination"));
    Path checkpoint = Path.of(args.value("checkpoint").orElse(DEFAULT_CHECKPOINT));
    if (args.has("no-resume") && args.value("upload-journal").isPresent()) {
      throw new UsageException("options --no-resume and --upload-journal exclude each other");
    }
    Optional<Path> uploadJournal =
        args.has("no-resume")
            ? Optional.empty()
            : Optional.of(args.value("upload-journal").map(Path::of)
                .orElse(checkpoint.resolveSibling(checkpoint.getFileName() + ".uploads")));
    Optional<Duration> interval =
        agent
            ? Optional.of(Durations.parse("interval", args.value("interval").orElse("30s")))
            : Optional.empty();
    return new SyncOptions(
        stateRef,
        state.baseUrl("https"),
        destination,
        checkpoint,
        EndpointOptions.from("source", args, env),
        EndpointOptions.from("destination", args, env),
        args.value("host-override").map(SyncOptions::hostOverride),
        args.has("json"),
        uploadJournal,
        interval);
  }

  /** The help text of the sync commands. */
  public static String help(String command, boolean agent) {
    List<String> lines = new ArrayList<>();
    lines.add("usage: " + command + " --state <ref> --destination <url> [options]");
    lines.add("");
    lines.add("  --state <ref>               satellite state artifact, e.g.");
    lines.add("                              http://127.0.0.1:5101/satellite/satellite-state/edge-1/state:latest");
    lines.add("                              (http:// = plain HTTP; no scheme = HTTPS)   [required]");
    lines.add("  --destination <url>         edge registry base URL, e.g. http://127.0.0.1:5102 [required]");
    lines.add("  --checkpoint <path>         checkpoint file (default ./" + DEFAULT_CHECKPOINT + ")");
    lines.add("  --source-user <name>        upstream user; password from env SATELLITE_SOURCE_PASSWORD");
    lines.add("  --destination-user <name>   edge user; password from env SATELLITE_DESTINATION_PASSWORD");
    lines.add("  --source-ca <pem>           CA bundle trusted for the upstream (instead of the system's)");
    lines.add("  --source-cert <pem>         client certificate for the upstream (mTLS), with --source-key");
    lines.add("  --source-key <pem>          private key (PKCS#8 PEM) of --source-cert");
    lines.add("  --source-insecure-skip-verify   do not verify the upstream's TLS certificate");
    lines.add("  --destination-ca, --destination-cert, --destination-key,");
    lines.add("  --destination-insecure-skip-verify   the same for the edge registry");
    lines.add("  --host-override <host:port> reach every host named inside state artifacts at host:port;");
    lines.add("                              or <published>=<host:port> for one published host");
    lines.add("  --upload-journal <dir>      where copies of large blobs (64 MiB and up) keep their progress,");
    lines.add("                              so that after a crash they continue where they stopped");
    lines.add("                              (default <checkpoint>.uploads)");
    lines.add("  --no-resume                 copy large blobs in one stream, without an upload journal");
    lines.add("  --json                      print the sync report as one JSON object on stdout");
    if (agent) {
      lines.add("  --interval <30s|5m|1h>      time between passes (default 30s)");
    }
    lines.add("  --help                      print this help");
    lines.add("");
    lines.add("exit status: 0 every desired image in place; 1 some failed (report printed);");
    lines.add("             2 bad usage or configuration");
    return String.join(System.lineSeparator(), lines);
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
