package dev.satellite.cli.support;

import dev.satellite.agent.Satellite;
import dev.satellite.agent.groundcontrol.RegistrationRefusedException;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.agent.runtime.RegistryFallback;
import dev.satellite.core.SyncListener;
import dev.satellite.jdbc.JdbcStateStore;
import dev.satellite.jdbc.PostgresLeaderLease;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.TlsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Satellite} built from {@link SyncOptions}, with the two registry clients it is given:
 * the upstream client (source credentials and TLS) and the edge client (destination credentials
 * and TLS, never the source's). With a state database, the checkpoint store and the leader lease
 * the agents of the site share. Closing it closes the satellite (which saves and releases the
 * checkpoint, and gives up the lease), then the store and the clients.
 */
public final class SatelliteSetup implements AutoCloseable {
  private final RegistryClient upstream;
  private final RegistryClient edge;
  private final JdbcStateStore store;
  private final Satellite satellite;
  /** Reports of the config state's registry_fallback until {@link #startReports} takes them. */
  private final AtomicReference<List<MirrorReport>> startReports =
      new AtomicReference<>(new CopyOnWriteArrayList<>());

  /**
   * @throws UsageException when a TLS file is invalid, a reference does not fit, or the
   *     checkpoint file is locked by another process
   * @throws RegistrationRefusedException when Ground Control refused the registration token
   */
  public SatelliteSetup(SyncOptions options, SyncListener listener) {
    this(options, listener, Observers.NONE);
  }

  /**
   * A satellite also watched by {@code observers}.
   *
   * @throws UsageException as {@link #SatelliteSetup(SyncOptions, SyncListener)}
   */
  public SatelliteSetup(SyncOptions options, SyncListener listener, Observers observers) {
    RegistryClient upstreamClient = null;
    RegistryClient edgeClient = null;
    PostgresLeaderLease lease = null;
    JdbcStateStore sharedStore = null;
    try {
      Satellite.Builder builder = Satellite.builder().listener(listener);
      observers.metrics().ifPresent(builder::metrics);
      observers.audit().ifPresent(builder::auditLog);
      if (options.stateDb().isPresent()) {
        lease = options.stateDb().get().lease();
        sharedStore = StateDbOptions.store(lease);
        builder.stateStore(sharedStore).leaderLease(lease);
      }
      if (options.destinationUrl() != null) {
        edgeClient = client(options.destinationUrl(), options.destination());
        builder.edge(edgeClient);
      }
      if (options.fleet().isPresent()) {
        FleetOptions fleet = options.fleet().get();
        builder.groundControl(fleet.groundControlUrl(), fleet.token().orElse(null))
            .stateDirectory(fleet.stateDirectory())
            .logLevelHook(ConsoleLogging::rootLevel);
        // TLS set here wins; what is not set here comes from the config (tls, use_unsecure)
        TlsOptions insecure = TlsOptions.builder().insecureSkipVerify().build();
        if (tlsGiven(options.source())) {
          builder.upstreamTls(tls(options.source()));
        } else if (fleet.useUnsecure()) {
          builder.upstreamTls(insecure);
        }
        if (fleet.useUnsecure()) {
          builder.groundControlTls(insecure);
        }
        fleet.harborRegistryUrl().ifPresent(builder::harborRegistryUrl);
        fleet.localConfig().ifPresent(builder::localConfig);
        fleet.groundControlCa().ifPresent(ca -> builder.groundControlTls(
            TlsOptions.builder().trustedCertificates(ca).build()));
        fleet.spiffe().ifPresent(builder::spiffe);
        if (options.uploadJournal().isEmpty()) {
          builder.noResumableUploads();
        }
      } else {
        upstreamClient = client(options.upstreamBaseUrl(), options.source());
        builder.upstream(upstreamClient, options.stateRef());
        if (sharedStore == null) {
          builder.checkpointFile(options.checkpoint());
        }
        options.uploadJournal().ifPresentOrElse(builder::uploadJournal,
            builder::noResumableUploads);
      }
      options.settings().accept(builder);
      if (options.runtimeMirrors().followConfigState()) {
        Path runtimeRoot = options.runtimeMirrors().runtimeRoot();
        RegistryFallback fallback = options.destinationUrl() != null
            ? new RegistryFallback(options.destinationUrl(), runtimeRoot)
            : RegistryFallback.toConfiguredEdge(runtimeRoot);
        if (observers.reloadRuntimes()) {
          fallback = fallback.reloadingRuntimes();
        }
        if (observers.audit().isPresent()) {
          fallback = fallback.reportingTo(observers.audit().get());
        }
        fallback = fallback.reportingTo(report -> {
          List<MirrorReport> reports = startReports.get();
          if (reports != null) {
            reports.add(report);
          }
        });
        builder.satelliteConfigListener(fallback);
      }
      this.satellite = builder.build();
    } catch (RuntimeException e) {
      closeQuietly(edgeClient);
      closeQuietly(upstreamClient);
      if (sharedStore != null) {
        sharedStore.close();
      }
      if (lease != null) {
        lease.close();
      }
      if (e instanceof RegistrationRefusedException) {
        throw e;
      }
      throw new UsageException(oneLine(e));
    }
    this.upstream = upstreamClient;
    this.edge = edgeClient;
    this.store = sharedStore;
  }

  public Satellite satellite() {
    return satellite;
  }

  /**
   * What applying the config state's {@code registry_fallback} reported while the satellite was
   * set up (it reads the config then); later reports are no longer kept once this was called.
   */
  public List<MirrorReport> startReports() {
    List<MirrorReport> reports = startReports.getAndSet(null);
    return reports == null ? List.of() : List.copyOf(reports);
  }

  /** A client for {@code baseUrl} with the credentials and TLS settings of one side. */
  static RegistryClient client(String baseUrl, EndpointOptions side) {
    Credentials credentials =
        side.user().isPresent()
            ? Credentials.basic(side.user().get(), side.password().orElseThrow())
            : Credentials.anonymous();
    return RegistryClient.builder(baseUrl).credentials(credentials).tls(tls(side)).build();
  }

  /** Whether any TLS setting was given for {@code side}. */
  private static boolean tlsGiven(EndpointOptions side) {
    return side.caFile().isPresent() || side.certFile().isPresent() || side.insecureSkipVerify();
  }

  /** The TLS settings of one side. */
  static TlsOptions tls(EndpointOptions side) {
    TlsOptions.Builder tls = TlsOptions.builder();
    side.caFile().ifPresent(tls::trustedCertificates);
    side.certFile().ifPresent(cert -> tls.clientCertificate(cert, side.keyFile().orElseThrow()));
    if (side.insecureSkipVerify()) {
      tls.insecureSkipVerify();
    }
    return tls.build();
  }

  /** The message of {@code e} on one line, prefixed by what was being set up. */
  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "setting up the satellite: " + message.replaceAll("\\s*\\R\\s*", " ");
  }

  private static void closeQuietly(RegistryClient client) {
    if (client != null) {
      client.close();
    }
  }

  @Override
  public void close() {
    try {
      satellite.close(); // releases the leader lease, if any
    } finally {
      if (store != null) {
        store.close();
      }
      closeQuietly(edge);
      closeQuietly(upstream);
    }
  }
}
