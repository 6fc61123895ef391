package dev.satellite.agent.internal;

import dev.satellite.agent.config.LocalConfig;
import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.groundcontrol.CredentialState;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.groundcontrol.internal.CredentialKeeper;
import dev.satellite.agent.groundcontrol.internal.CredentialStatusFile;
import dev.satellite.agent.groundcontrol.internal.Registrar;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile;
import dev.satellite.agent.groundcontrol.internal.RobotCredentials;
import dev.satellite.agent.groundcontrol.internal.SavedConfigFile;
import dev.satellite.agent.groundcontrol.internal.TokenFile;
import dev.satellite.agent.groundcontrol.internal.WorkloadApiIdentity;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.RegistryClient;
import io.spiffe.workloadapi.X509Source;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fleet member is, made once before anything runs: its registration with Ground Control
 * (the saved one, or a new one with the token or the SPIFFE identity), the robot account that
 * comes with it and its keeper, the Ground Control client, the upstream (Harbor) client with the
 * robot's credentials, where Harbor is reached, and the config the satellite starts with. Every
 * field is final; what changes while the satellite runs (the robot's secret) changes inside
 * {@link RobotCredentials}, read at each request.
 *
 * <p><b>Before Ground Control's config.</b> Ground Control and Harbor are reached with the
 * settings of the config the satellite starts with: the local config file over the config saved
 * last ({@link FleetTransport}: {@code tls}, {@code use_unsecure}, {@code
 * register_satellite_interval}, {@code harbor_registry_url}).
 *
 * <p>With a SPIFFE identity the X.509 SVID source is opened first (waiting for the SPIRE agent),
 * lives as long as the membership, and is closed after the Ground Control client.
 */
public final class Membership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  private final GroundControlClient client;
  private final RobotCredentials robot;
  private final CredentialKeeper keeper;
  private final UpstreamRefusals refusals;
  private final HarborAddress harbor;
  private final RegistryClient upstream;
  private final X509Source svids;
  private final SatelliteConfig startConfig;

  private Membership(GroundControlClient client, RobotCredentials robot, CredentialKeeper keeper,
      UpstreamRefusals refusals, HarborAddress harbor, RegistryClient upstream, X509Source svids,
      SatelliteConfig startConfig) {
    this.client = client;
    this.robot = robot;
    this.keeper = keeper;
    this.refusals = refusals;
    this.harbor = harbor;
    this.upstream = upstream;
    this.svids = svids;
    this.startConfig = startConfig;
  }

  /**
   * Joins Ground Control: the registration saved in {@code stateDirectory}, or a new one.
   *
   * @throws SatelliteException when there is neither a usable saved registration nor a token,
   *     Ground Control refused the token ({@code RegistrationRefusedException}), or stayed
   *     unreachable for the registration patience (when one was given)
   */
  public static Membership join(Fleet.Settings settings, Path stateDirectory) {
    SatelliteConfig startConfig = startConfig(settings.localConfig(), stateDirectory);
    FleetTransport transport = FleetTransport.resolve(settings, startConfig);
    X509Source svids = settings.spiffe() == null ? null
        : WorkloadApiIdentity.open(settings.spiffe());
    GroundControlClient client;
    try {
      GroundControlClient.Builder builder =
          GroundControlClient.builder(transport.groundControlUrl())
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
      return new Membership(client, robot, keeper, refusals, harbor, upstream, svids,
          startConfig);
    } catch (RuntimeException e) {
      client.close();
      closeSvids(svids);
      throw e;
    }
  }

  /**
   * The config the satellite starts with: the local config file over the config saved last; a
   * saved config that cannot be read is left out here (applying it at start reports why).
   */
  private static SatelliteConfig startConfig(LocalConfig local, Path stateDirectory) {
    byte[] saved;
    try {
      saved = new SavedConfigFile(stateDirectory, Clock.systemUTC()).load()
          .map(SavedConfigFile.Saved::body).orElse(null);
    } catch (RuntimeException e) {
      saved = null;
    }
    return StartConfig.typed(saved, local);
  }

  private static void closeSvids(X509Source svids) {
    if (svids != null) {
      try {
        svids.close();
      } catch (IOException | RuntimeException e) {
        log.warn("closing the SPIFFE Workload API connection: {}", e.toString());
      }
    }
  }

  /** The Ground Control client; this membership closes it. */
  GroundControlClient client() {
    return client;
  }

  /** The robot account's keeper: refusals reported, refreshes and new tokens. */
  CredentialKeeper keeper() {
    return keeper;
  }

  /** The config the satellite started with (for the settings that apply from the next start). */
  SatelliteConfig startConfig() {
    return startConfig;
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
   * Host overrides the state source needs so that references on Harbor's published host reach
   * it where the Harbor registry URL says (none without one).
   */
  public Map<String, String> stateHostOverrides() {
    return harbor.stateOverrides();
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

  /** Closes the Ground Control and upstream clients, then the SPIFFE Workload API connection. */
  @Override
  public void close() {
    try {
      client.close();
      upstream.close();
    } finally {
      closeSvids(svids);
    }
  }
}
