package dev.satellite.cli;

import dev.satellite.agent.config.LocalConfig;
import dev.satellite.agent.groundcontrol.GoConfigImport;
import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import dev.satellite.core.SatelliteException;
import dev.satellite.agent.groundcontrol.RegistrationRefusedException;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.core.SyncReport;
import dev.satellite.jdbc.PostgresLeaderLease;
import dev.satellite.cli.support.Commands;
import dev.satellite.cli.support.DurationConverter;
import dev.satellite.cli.support.FleetOptions;
import dev.satellite.cli.support.JavaUtilLogging;
import dev.satellite.cli.support.AgentOperations;
import dev.satellite.cli.support.Operations;
import dev.satellite.cli.support.OperationsFlags;
import dev.satellite.cli.support.ParsedSync;
import dev.satellite.cli.support.ProgressLog;
import dev.satellite.cli.support.RuntimeMirrorOptions;
import dev.satellite.cli.support.SatelliteSetup;
import dev.satellite.cli.support.Signals;
import dev.satellite.cli.support.SpiffeFlags;
import dev.satellite.cli.support.StateDbOptions;
import dev.satellite.cli.support.StopDuringSetup;
import dev.satellite.cli.support.SyncFlags;
import dev.satellite.cli.support.SyncOptions;
import dev.satellite.cli.support.UsageException;
import dev.satellite.core.SyncReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A {@code Satellite} running passes every {@code --interval}, for as long as the process runs. On
 * SIGTERM or SIGINT it stops cleanly: the pass in progress is interrupted (the satellite then
 * saves a checkpoint of exactly what landed), the checkpoint file is released, and the process
 * exits 0 through {@code System.exit} (in {@link SatelliteCommand#main}), so the host's shutdown hooks run as on any normal exit.
 * Each pass logs one summary line.
 *
 * <p>With {@code --ground-control} the agent joins a Harbor Satellite fleet: it registers with the
 * one-time token ({@code --token} or {@code SATELLITE_TOKEN}) or reuses the registration saved in
 * {@code --state-dir}, logs one line per heartbeat (Ground Control's status, image count), and
 * follows Ground Control's config (intervals, edge registry, log level). With {@code --spiffe} it
 * joins with the SPIFFE identity of the SPIRE agent's Workload API instead of a token.
 *
 * <p>With {@code --state-db} the agent shares its site with other agents: the checkpoint and a
 * leader lease live in PostgreSQL; the agent holding the lease syncs, the others stand by and take
 * over when it stops, dies or is cut off. Each change of role is logged ({@code role: leader
 * (...)}, {@code role: standby (...)}).
 */
@Command(usageHelpWidth = 100, abbreviateSynopsis = true,
    name = "agent", sortOptions = false,
    description = "Keeps the edge registry in line with the satellite state, pass after pass.",
    footer = {"", "exit status: 0 after a clean stop (SIGTERM, SIGINT), also while it waits for"
        + " Ground Control; 2 bad usage or configuration; 3 Ground Control refused the"
        + " registration token (a new one is needed). An unreachable Ground Control is no exit:"
        + " registration is retried for ever."})
public final class AgentCommand {
  private static final Logger log = LoggerFactory.getLogger("satellite");
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  @Mixin SyncFlags flags;

  @Mixin OperationsFlags operationsFlags;

  @Option(names = "--interval", paramLabel = "<30s|5m|1h>", order = 50, defaultValue = "30s",
      converter = DurationConverter.class,
      description = "time between passes (default ${DEFAULT-VALUE})")
  Duration interval;

  @Option(names = "--mirrors", paramLabel = "<runtime>:<registry>[,<registry>...]", order = 51,
      description = {"point a container runtime (containerd, crio, podman, docker, k3s, rke2,",
          "auto) at the edge for these registries, once at start; repeatable. The config",
          "state's registry_fallback is followed either way"})
  List<String> mirrors = List.of();

  @Option(names = "--runtime-root", paramLabel = "<dir>", order = 52,
      description = "directory the runtimes' files are taken under (default /)")
  Path runtimeRoot = Path.of("/");

  @Option(names = "--ground-control", paramLabel = "<url>", order = 60,
      description = "join the fleet of this Ground Control (http:// = plain HTTP, no scheme ="
          + " HTTPS): it hands out the state reference and the upstream's robot account, takes"
          + " heartbeats and sets the intervals; needs --state-dir, excludes --state and"
          + " --source-user")
  String groundControl;

  @Option(names = "--token", paramLabel = "<token>", order = 61,
      description = "one-time registration token (or env " + FleetOptions.TOKEN_VARIABLE
          + ", or the Go satellite's " + FleetOptions.GO_TOKEN_VARIABLE
          + "); not needed once a registration is saved in --state-dir")
  String token;

  @Option(names = "--harbor-registry-url", paramLabel = "<url>", order = 64,
      description = "reach Harbor here (http(s)://host[:port]) when Ground Control publishes it"
          + " under a name this node cannot use: replaces scheme and host of the robot's"
          + " auth.url and of the state references (or env "
          + FleetOptions.HARBOR_REGISTRY_VARIABLE + ")")
  String harborRegistryUrl;

  @Option(names = "--ground-control-ca", paramLabel = "<pem>", order = 63,
      description = "CA bundle trusted for Ground Control (instead of the system's)")
  Path groundControlCa;

  @Mixin SpiffeFlags spiffe = new SpiffeFlags();

  @Option(names = "--state-dir", paramLabel = "<dir>", order = 62,
      description = "directory for the registration, checkpoint and upload journal"
          + " (with --ground-control; or env " + FleetOptions.CONFIG_DIR_VARIABLE
          + ", the Go satellite's)")
  Path stateDirectory;

  @Option(names = "--config", paramLabel = "<file>", order = 65,
      description = {"this node's own settings, JSON in the shape of the Go satellite's",
          "config.json (app_config section), laid over Ground Control's config, which strips",
          "fields it does not know (max_bandwidth, sync_windows, sync_window_zone,",
          "max_bytes_per_pass); the command line wins over both (with --ground-control)"})
  Path configFile;

  @Option(names = "--import-go-config", paramLabel = "<config.json>", order = 66,
      description = {"move a Go satellite to this one without a new token: write the",
          "registration and config of its (unencrypted) config.json into --state-dir, then",
          "exit 0; start the agent without this option afterwards"})
  Path importGoConfig;

  @Option(names = "--state-db", paramLabel = "<jdbc:postgresql://host:port/db>", order = 70,
      description = {"share the checkpoint and a leader lease with the other agents of this site",
          "in this PostgreSQL database: one agent syncs, the others stand by and take over.",
          "Password from env " + StateDbOptions.PASSWORD_VARIABLE + " (or PGPASSWORD)"})
  String stateDb;

  @Option(names = "--state-db-user", paramLabel = "<user>", order = 71,
      description = "database user (default: env PGUSER, else the URL's)")
  String stateDbUser;

  @Option(names = "--site", paramLabel = "<name>", order = 72,
      description = "the name the agents of this site share in the database (default: the"
          + " satellite's name in --state)")
  String site;

  @Option(names = "--lease-ttl", paramLabel = "<15s>", order = 73,
      converter = DurationConverter.class,
      description = "how long the leader's lease lasts unrenewed: a standby takes over within"
          + " this and a third of it after the leader dies (default 15s)")
  Duration leaseTtl;

  private AgentCommand() {}

  /**
   * Runs the agent command line until SIGTERM or SIGINT; returns the exit status. Meant for the
   * process's main thread ({@link SatelliteCommand#main}), which exits with it.
   */
  static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    ParsedSync parsed = parse(args, env, out, err);
    if (parsed.options().isEmpty()) {
      return parsed.exitCode();
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Signals.onTermination(stopRequested::countDown);
    // Any other way the JVM shuts down (SIGHUP, System.exit elsewhere): stop cleanly first.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopRequested.countDown();
      try {
        stopped.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "satellite-agent-shutdown"));
    int status = run(parsed.options().get(), out, err, stopRequested);
    stopped.countDown();
    return status;
  }

  /** Parses an agent command line, printing the help or a one-line usage error. */
  static ParsedSync parse(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    AgentCommand command = new AgentCommand();
    CommandLine line = SatelliteCommand.line(command);
    OptionalInt exit = Commands.parse(line, args, out, err);
    if (exit.isPresent()) {
      return ParsedSync.exit(exit.getAsInt());
    }
    try {
      if (command.importGoConfig != null) {
        return ParsedSync.exit(command.importGoConfig(env, out));
      }
      Operations operations = command.operationsFlags.operations();
      SyncOptions options = command.options(env)
          .withRuntimeMirrors(new RuntimeMirrorOptions(command.mirrors, command.runtimeRoot, true,
              operations.reloadRuntimes()))
          .withOperations(operations);
      options.runtimeMirrors().build(options.destinationUrl());
      return ParsedSync.of(options);
    } catch (UsageException e) {
      err.println(Commands.usageError(line, e.getMessage()));
      return ParsedSync.exit(Commands.USAGE);
    }
  }

  /**
   * Imports the Go satellite's config.json into the state directory; returns 0.
   *
   * @throws UsageException when an option is missing or the import fails (the message says why)
   */
  private int importGoConfig(Map<String, String> env, PrintStream out) {
    Path directory = stateDirectory(env).orElseThrow(() -> new UsageException("option"
        + " --import-go-config needs --state-dir (or " + FleetOptions.CONFIG_DIR_VARIABLE
        + "), where the registration is written"));
    String url = nonBlank(groundControl)
        .or(() -> nonBlank(env.get(FleetOptions.GROUND_CONTROL_VARIABLE))).orElse(null);
    GoConfigImport.Result result;
    try {
      result = GoConfigImport.importInto(importGoConfig, url, directory);
    } catch (SatelliteException e) {
      throw new UsageException("option --import-go-config: " + e.getMessage());
    }
    out.println("imported satellite " + result.satelliteName() + " from " + importGoConfig
        + ": registration in " + result.registrationFile() + ", config in "
        + result.configFile() + "; start the agent with --state-dir " + directory
        + " (no token needed)");
    return 0;
  }

  /** {@code --state-dir}, else the Go satellite's {@code CONFIG_DIR}. */
  private Optional<Path> stateDirectory(Map<String, String> env) {
    return Optional.ofNullable(stateDirectory)
        .or(() -> nonBlank(env.get(FleetOptions.CONFIG_DIR_VARIABLE)).map(Path::of));
  }

  private SyncOptions options(Map<String, String> env) {
    SyncOptions options = fleetOrStandalone(env);
    if (stateDb == null) {
      if (stateDbUser != null || site != null || leaseTtl != null) {
        throw new UsageException(
            "options --state-db-user, --site and --lease-ttl go with --state-db");
      }
      return options;
    }
    return options.withStateDb(StateDbOptions.of(stateDb, stateDbUser, site,
        leaseTtl == null ? PostgresLeaderLease.DEFAULT_TTL : leaseTtl, options.stateRef(), env));
  }

  private SyncOptions fleetOrStandalone(Map<String, String> env) {
    if (groundControl == null && !flags.hasState()) {
      groundControl = nonBlank(env.get(FleetOptions.GROUND_CONTROL_VARIABLE)).orElse(null);
    }
    if (groundControl == null && spiffe.given()) {
      throw new UsageException("options --spiffe, --spiffe-socket and --spiffe-expected-server-id"
          + " go with --ground-control");
    }
    if (groundControl == null) {
      if (token != null || stateDirectory != null || groundControlCa != null
          || harborRegistryUrl != null || configFile != null) {
        throw new UsageException("options --token, --state-dir, --ground-control-ca,"
            + " --harbor-registry-url and --config go with --ground-control");
      }
      return flags.options(env, Optional.of(interval));
    }
    Path directory = stateDirectory(env).orElseThrow(() -> new UsageException("option"
        + " --ground-control needs --state-dir (or " + FleetOptions.CONFIG_DIR_VARIABLE
        + "), where the registration Ground Control hands out is kept"));
    boolean useUnsecure = FleetOptions.useUnsecure(env);
    if (useUnsecure && groundControlCa != null) {
      throw new UsageException("option --ground-control-ca and " + FleetOptions.USE_UNSECURE_VARIABLE
          + "=true contradict each other: the CA would be trusted and then not checked");
    }
    Optional<LocalConfig> localConfig;
    try {
      localConfig = Optional.ofNullable(configFile).map(LocalConfig::read);
    } catch (SatelliteException e) {
      throw new UsageException("option --config: " + e.getMessage());
    }
    String url = useUnsecure && !groundControl.contains("://") ? "http://" + groundControl
        : groundControl;
    if (!mirrors.isEmpty() && !flags.hasDestination()) {
      throw new UsageException("option --mirrors needs --destination, the edge the runtimes"
          + " are pointed at");
    }
    Optional<String> registrationToken = nonBlank(token)
        .or(() -> nonBlank(env.get(FleetOptions.TOKEN_VARIABLE)))
        .or(() -> nonBlank(env.get(FleetOptions.GO_TOKEN_VARIABLE)));
    Optional<String> harbor = nonBlank(harborRegistryUrl)
        .or(() -> nonBlank(env.get(FleetOptions.HARBOR_REGISTRY_VARIABLE)));
    if (harbor.isPresent() && !harbor.get().strip().matches("(?i)https?://[^/?#\\s@]+/?")) {
      throw new UsageException("option --harbor-registry-url: '" + harbor.get()
          + "' is not http(s)://host[:port], e.g. http://10.0.0.5:8080");
    }
    if (groundControlCa != null && !Files.isReadable(groundControlCa)) {
      throw new UsageException("option --ground-control-ca: cannot read file '" + groundControlCa
          + "'");
    }
    Optional<SpiffeOptions> identity = spiffe.options(env);
    if (identity.isPresent() && (registrationToken.isPresent() || groundControlCa != null)) {
      throw new UsageException(registrationToken.isPresent()
          ? "a registration token (--token or " + FleetOptions.TOKEN_VARIABLE + ") and --spiffe"
              + " exclude each other: a SPIFFE identity joins without a token"
          : "options --ground-control-ca and --spiffe exclude each other: with SPIFFE, Ground"
              + " Control is authenticated by its SPIFFE ID and the trust bundle");
    }
    return flags.fleetOptions(env, Optional.of(interval), new FleetOptions(url,
        registrationToken, directory, Optional.ofNullable(groundControlCa), harbor,
        identity, localConfig, useUnsecure));
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).filter(v -> !v.isBlank());
  }

  /**
   * Runs passes in the background until {@code stopRequested} opens, then closes the satellite,
   * which interrupts the pass in progress and saves what landed.
   *
   * @return 0 after a clean stop (also one requested while the satellite still waited for Ground
   *     Control), 2 when the setup failed, 3 when Ground Control refused the registration token
   */
  static int run(
      SyncOptions options, PrintStream out, PrintStream err, CountDownLatch stopRequested) {
    Duration interval = options.interval().orElseThrow();
    if (options.fleet().flatMap(FleetOptions::spiffe).isPresent()) {
      JavaUtilLogging.toSlf4j(); // the Workload API client logs through java.util.logging
    }
    ProgressLog progress = new ProgressLog(true) {
      @Override
      public void syncFinished(SyncReport report) {
        super.syncFinished(report);
        if (options.json()) {
          out.println(report.toJson());
        }
      }
    };
    StopDuringSetup stopDuringSetup = new StopDuringSetup(stopRequested);
    // only a fleet member's setup waits (for Ground Control): only it is interrupted by a stop
    try (AgentOperations operations = new AgentOperations(options.operations());
        SatelliteSetup setup = options.fleet().isPresent()
            ? stopDuringSetup.around(
                () -> new SatelliteSetup(options, progress, operations.observers()))
            : new SatelliteSetup(options, progress, operations.observers())) {
      List<MirrorReport> mirrorReports = new ArrayList<>(setup.startReports());
      options.runtimeMirrors().build(options.destinationUrl()).ifPresent(mirrors -> {
        MirrorReport report = mirrors.apply();
        operations.audit(report);
        logMirrors(report);
        mirrorReports.add(report);
      });
      setup.satellite().reportRuntimeMirrors(mirrorReports); // the first heartbeat's activity
      operations.serve(setup.satellite()).ifPresent(server -> log.info(
          "serving /metrics, /healthz and /readyz on http://{}:{}",
          server.address().getHostString(), server.address().getPort()));
      setup.satellite().start(interval);
      log.info("agent started: syncing every {}s", interval.toSeconds());
      awaitUninterruptibly(stopRequested);
      log.info("stop requested: finishing the current pass");
    } catch (RegistrationRefusedException e) {
      err.println("satellite agent: Ground Control refused the registration token: "
          + e.getMessage());
      return Commands.REGISTRATION_REFUSED;
    } catch (UsageException e) {
      if (stopDuringSetup.stopped()) {
        log.info("agent stopped before it was set up");
        return 0;
      }
      err.println("satellite agent: " + e.getMessage());
      return Commands.USAGE;
    }
    log.info("agent stopped");
    return 0;
  }

  /**
   * The runtime mirror report in the log: the reloads run (with {@code --reload-runtimes}), or
   * the reload commands for the operator to run.
   */
  private static void logMirrors(MirrorReport report) {
    report.changes().forEach(change -> log.info("runtime mirrors: changed {}", change.path()));
    report.notes().forEach(note -> log.info("runtime mirrors: {}", note));
    report.failures().forEach(failure -> log.error("runtime mirrors: {}", failure.reason()));
    if (report.reloads().isEmpty()) {
      report.reloadCommands().forEach(command ->
          log.warn("runtime mirrors changed: run `{}` to apply them", command));
    }
    report.reloads().forEach(reload -> reload.failure().ifPresentOrElse(
        failure -> log.error("runtime mirrors: {}", failure),
        () -> log.info("runtime mirrors: reloaded {}", reload.runtime())));
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (latch.getCount() > 0) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
