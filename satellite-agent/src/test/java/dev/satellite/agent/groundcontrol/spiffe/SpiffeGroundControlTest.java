package dev.satellite.agent.groundcontrol.spiffe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.Heartbeat;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.groundcontrol.internal.WorkloadApiIdentity;
import dev.satellite.core.SatelliteException;
import io.spiffe.workloadapi.X509Source;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registration and heartbeats over mutual TLS with an SVID from a Workload API stand-in, against
 * a Ground Control stand-in that requires client certificates.
 */
class SpiffeGroundControlTest {
  private static final String SATELLITE = "/satellite/region/eu/edge-1";
  private static final String STATE = "harbor.example.com/satellite/satellite-state/edge-1/state:latest";

  @TempDir Path temp;
  private final TestTrustDomain domain = TestTrustDomain.create("example.org");
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private WorkloadApiStandIn workloadApi;

  @BeforeEach
  void start() {
    workloadApi = new WorkloadApiStandIn(temp.resolve("agent.sock"));
    toClose.add(workloadApi);
  }

  @AfterEach
  void stop() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  @Test
  void registersAndBeatsIdentifiedBySpiffeIdWithoutTheRobotAccount() throws Exception {
    workloadApi.start().issue(domain.svid(SATELLITE));
    SpiffeGroundControlStandIn gc = groundControl(domain.svid("/gc/main"), domain);
    GroundControlClient client = client(gc, options().build());

    Registration registration = client.registerWithSpiffe();
    assertThat(registration.stateReference()).isEqualTo(STATE);
    assertThat(registration.username()).isEqualTo("robot$edge-1");
    assertThat(gc.registrations).containsExactly("spiffe://example.org" + SATELLITE);

    assertThat(client.heartbeat(registration, beat()).status()).isEqualTo(200);
    assertThat(gc.beats).singleElement().satisfies(beat -> {
      assertThat(beat.spiffeId()).isEqualTo("spiffe://example.org" + SATELLITE);
      assertThat(beat.basicAuth()).as("no robot account on the heartbeat").isFalse();
      assertThat(beat.body().get("name").asText()).isEqualTo("edge-1");
    });
    assertThat(gc.tokenAttempts.get()).isZero();
  }

  @Test
  void theNextRequestAfterARotationPresentsTheNewSvid() throws Exception {
    TestTrustDomain.Svid first = domain.svid(SATELLITE);
    workloadApi.start().issue(first);
    SpiffeGroundControlStandIn gc = groundControl(domain.svid("/gc/main"), domain);
    X509Source svids = open(options().build());
    GroundControlClient client = client(gc, svids, options().build());
    Registration registration = client.registerWithSpiffe();
    client.heartbeat(registration, beat());

    TestTrustDomain.Svid rotated = domain.svid(SATELLITE);
    workloadApi.issue(rotated);
    await("the source holds the rotated SVID", () -> svids.getX509Svid().getLeaf()
        .getSerialNumber().equals(rotated.certificate().getSerialNumber()));
    client.heartbeat(registration, beat());

    assertThat(gc.beats).extracting(SpiffeGroundControlStandIn.Beat::certificateSerial)
        .containsExactly(first.certificate().getSerialNumber(),
            rotated.certificate().getSerialNumber());
  }

  @Test
  void groundControlPresentingAnotherSpiffeIdThanTheExpectedIsRefusedNamingBoth()
      throws Exception {
    workloadApi.start().issue(domain.svid(SATELLITE));
    SpiffeGroundControlStandIn gc = groundControl(domain.svid("/gc/impostor"), domain);
    GroundControlClient client =
        client(gc, options().expectedServerId("spiffe://example.org/gc/main").build());

    assertThatThrownBy(client::registerWithSpiffe)
        .isInstanceOfSatisfying(GroundControlException.class,
            e -> assertThat(e.passable()).as("not retried").isFalse())
        .hasMessageContaining("presented SPIFFE ID spiffe://example.org/gc/impostor")
        .hasMessageContaining("not the expected spiffe://example.org/gc/main");
    assertThat(gc.registrations).isEmpty();
  }

  @Test
  void theExpectedServerIdIsAccepted() throws Exception {
    workloadApi.start().issue(domain.svid(SATELLITE));
    SpiffeGroundControlStandIn gc = groundControl(domain.svid("/gc/main"), domain);
    GroundControlClient client =
        client(gc, options().expectedServerId("spiffe://example.org/gc/main").build());

    assertThat(client.registerWithSpiffe().stateReference()).isEqualTo(STATE);
  }

  @Test
  void groundControlOfATrustDomainWithoutBundleIsATrustDomainMismatch() throws Exception {
    workloadApi.start().issue(domain.svid(SATELLITE));
    TestTrustDomain other = TestTrustDomain.create("other.org");
    SpiffeGroundControlStandIn gc = groundControl(other.svid("/gc/main"), domain);
    GroundControlClient client = client(gc, options().build());

    assertThatThrownBy(client::registerWithSpiffe)
        .isInstanceOfSatisfying(GroundControlException.class,
            e -> assertThat(e.passable()).isFalse())
        .hasMessageContaining("trust domain other.org")
        .hasMessageContaining("spiffe://example.org" + SATELLITE)
        .hasMessageContaining("trust domain mismatch");
  }

  @Test
  void aFederatedTrustDomainIsAccepted() throws Exception {
    TestTrustDomain other = TestTrustDomain.create("other.org");
    workloadApi.start().issue(domain.svid(SATELLITE),
        java.util.Map.of(other.name(), other.bundle()));
    SpiffeGroundControlStandIn gc = groundControl(other.svid("/gc/main"), domain);

    assertThat(client(gc, options().build()).registerWithSpiffe().stateReference())
        .isEqualTo(STATE);
  }

  @Test
  void waitsForAWorkloadApiThatStartsLate() throws Exception {
    Thread late = new Thread(() -> {
      try {
        Thread.sleep(1_500);
      } catch (InterruptedException e) {
        return;
      }
      workloadApi.start().issue(domain.svid(SATELLITE));
    });
    late.start();
    long started = System.nanoTime();
    X509Source svids = open(options().svidWait(Duration.ofSeconds(30)).build());
    late.join();

    assertThat(svids.getX509Svid().getSpiffeId().toString())
        .isEqualTo("spiffe://example.org" + SATELLITE);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(1));
  }

  @Test
  void noSocketIsNoSpireAgentNamingTheSocket() {
    SpiffeOptions options = options().svidWait(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> open(options))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith("no SPIRE agent at " + workloadApi.address())
        .hasMessageContaining("there is no socket at " + workloadApi.socket())
        .hasMessageContaining("waited 1 s for an X.509 SVID");
  }

  @Test
  void aSocketRefusingConnectionsIsNoSpireAgent() throws Exception {
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(workloadApi.socket()));
    } // closed: the socket file stays, nothing listens
    SpiffeOptions options = options().svidWait(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> open(options))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith("no SPIRE agent at " + workloadApi.address())
        .hasMessageContaining("the socket refuses connections");
  }

  @Test
  void anAgentWithNoIdentityForThisProcessIsNamedSo() {
    workloadApi.start();
    SpiffeOptions options = options().svidWait(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> open(options))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("the SPIRE agent at " + workloadApi.address()
            + " handed out no X.509 SVID")
        .hasMessageContaining("registration entry");
    assertThat(workloadApi.fetches.get()).isPositive();
  }

  @Test
  void aPlainHttpGroundControlIsRefusedWithASpiffeIdentity() throws Exception {
    workloadApi.start().issue(domain.svid(SATELLITE));
    X509Source svids = open(options().build());
    assertThatThrownBy(() -> GroundControlClient.builder("http://127.0.0.1:1")
        .spiffe(svids, options().build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs https");
  }

  private SpiffeOptions.Builder options() {
    return SpiffeOptions.builder().socket(workloadApi.address());
  }

  private X509Source open(SpiffeOptions options) {
    X509Source source = WorkloadApiIdentity.open(options);
    toClose.add(source);
    return source;
  }

  private GroundControlClient client(SpiffeGroundControlStandIn gc, SpiffeOptions options) {
    return client(gc, open(options), options);
  }

  private GroundControlClient client(SpiffeGroundControlStandIn gc, X509Source svids,
      SpiffeOptions options) {
    GroundControlClient client = GroundControlClient.builder(gc.url()).spiffe(svids, options)
        .build();
    toClose.add(client);
    return client;
  }

  private SpiffeGroundControlStandIn groundControl(TestTrustDomain.Svid server,
      TestTrustDomain satellites) throws Exception {
    SpiffeGroundControlStandIn gc = new SpiffeGroundControlStandIn(server, satellites.bundle(),
        STATE, "https://harbor.example.com", "robot$edge-1", "s3cret");
    toClose.add(gc);
    return gc;
  }

  private static Heartbeat beat() {
    return Heartbeat.builder("edge-1").activity("idle")
        .stateReportInterval(Duration.ofSeconds(30)).lastSyncDuration(Duration.ZERO)
        .createdAt(java.time.Instant.now()).build();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }
}
