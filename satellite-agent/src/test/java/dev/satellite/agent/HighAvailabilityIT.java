package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncListener.Role;
import dev.satellite.core.SyncReport;
import dev.satellite.jdbc.JdbcStateStore;
import dev.satellite.jdbc.PostgresLeaderLease;
import dev.satellite.jdbc.StateDatabase;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.AccessLog;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.PostgresServer;
import dev.satellite.testing.RequiresPostgres;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two satellites of one site over one PostgreSQL (shared checkpoint, leader lease) and one real
 * edge registry: one syncs, the other stands by and takes over from the shared checkpoint.
 */
@RequiresRegistry
@RequiresPostgres
class HighAvailabilityIT {
  private static final String SITE = "edge-1";
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final String USER = "ground-control";
  private static final String PASSWORD = "upstream-secret";

  @TempDir Path temp;
  private DistributionRegistry upstreamRegistry;
  private DistributionRegistry edgeRegistry;
  private RegistryClient upstream;
  private RegistryClient edge;
  private StatePublisher publisher;
  private PostgresServer postgres;
  private String databaseUrl;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() {
    postgres = PostgresServer.shared();
    databaseUrl = postgres.newDatabase();
    upstreamRegistry = DistributionRegistry.builder().basicAuth(USER, PASSWORD).start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstream = RegistryClient.builder(upstreamRegistry.baseUrl())
        .credentials(Credentials.basic(USER, PASSWORD)).build();
    edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
    publisher = StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
  }

  @AfterEach
  void stop() {
    Collections.reverse(toClose);
    toClose.addAll(List.of(upstream, edge, upstreamRegistry, edgeRegistry));
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  /** What one satellite heard: its roles and its passes. */
  private static final class Heard implements SyncListener {
    final BlockingQueue<String> roles = new LinkedBlockingQueue<>();
    final BlockingQueue<SyncReport> reports = new LinkedBlockingQueue<>();
    final AtomicInteger passesStarted = new AtomicInteger();

    @Override
    public void roleChanged(Role role, String reason) {
      roles.add(role + ": " + reason);
    }

    @Override
    public void syncStarted() {
      passesStarted.incrementAndGet();
    }

    @Override
    public void syncFinished(SyncReport report) {
      reports.add(report);
    }

    String awaitRole(Role role, Duration wait) throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < deadline) {
        String event = roles.poll(50, TimeUnit.MILLISECONDS);
        if (event != null && event.startsWith(role + ":")) {
          return event;
        }
      }
      throw new AssertionError("no " + role + " within " + wait + "; roles left: " + roles);
    }

    SyncReport awaitReport(Predicate<SyncReport> wanted) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        SyncReport report = reports.poll(100, TimeUnit.MILLISECONDS);
        if (report != null && wanted.test(report)) {
          return report;
        }
      }
      throw new AssertionError("no such pass report within 60 s");
    }
  }

  /** One agent of the site: its own database link, lease, fenced store and state directory. */
  private record Agent(Satellite satellite, Heard heard, PartitionableDataSource link,
      PostgresLeaderLease lease) {}

  private Agent agent(String name, String stateRef, Satellite.Builder extra) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(databaseUrl);
    source.setUser(postgres.user());
    source.setPassword(postgres.password());
    source.setConnectTimeout(2);
    source.setSocketTimeout(10);
    PartitionableDataSource link = new PartitionableDataSource(source);
    PostgresLeaderLease lease = PostgresLeaderLease
        .builder(StateDatabase.of(link, databaseUrl + " from " + name), SITE)
        .ttl(TTL).holder(name).build();
    JdbcStateStore store = JdbcStateStore.open(lease);
    toClose.add(store);
    Heard heard = new Heard();
    Satellite satellite = extra.upstream(upstream, stateRef).edge(edge)
        .stateDirectory(temp.resolve(name)).stateStore(store).leaderLease(lease)
        .listener(heard).build();
    toClose.add(satellite);
    return new Agent(satellite, heard, link, lease);
  }

  private TestImage image(long seed, int layerBytes) {
    return TestImages.image(Format.OCI, seed, TestBlob.random(seed * 31, layerBytes));
  }

  /** Publishes group g1 with {@code images} under repositories app0, app1, ... as v1. */
  private String publish(List<TestImage> images) {
    List<StateImage> desired = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      upstreamRegistry.push("library/app" + i, images.get(i), "v1");
      desired.add(new StateImage("library/app" + i, List.of("v1"), Optional.empty()));
    }
    String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(), desired).reference();
    return publisher.publishSatellite(SITE, List.of(group), Optional.empty()).reference();
  }

  /** Blob bytes of the images (not of the state artifacts) the upstream has served so far. */
  private long upstreamBlobBytes() {
    return upstreamRegistry.requests().stream()
        .filter(e -> e.isBlobGet() && e.inRepositoryUnder("library/"))
        .mapToLong(AccessLog.Entry::bytes).sum();
  }

  @Test
  void aPassWhileTheDatabaseIsDownFailsCleanlyAndThePassAfterItsRestartSucceeds()
      throws Exception {
    try (PostgresServer own = PostgresServer.start()) {
      String url = own.newDatabase();
      PGSimpleDataSource source = new PGSimpleDataSource();
      source.setURL(url);
      source.setUser(own.user());
      source.setPassword(own.password());
      source.setConnectTimeout(2);
      JdbcStateStore store = JdbcStateStore.open(StateDatabase.of(source, url), SITE);
      toClose.add(store);
      String stateRef = publish(List.of(image(8, 200_000)));
      Satellite satellite = Satellite.builder().upstream(upstream, stateRef).edge(edge)
          .stateDirectory(temp.resolve("restarted-db")).stateStore(store).build();
      toClose.add(satellite);
      assertThat(satellite.syncOnce().ok()).isTrue();
      publish(List.of(image(8, 200_000), image(9, 300_000)));

      own.stop();
      SyncReport whileDown = satellite.syncOnce();

      assertThat(whileDown.ok()).as(whileDown.toJson()).isFalse();
      assertThat(whileDown.checkpointSaved()).isFalse();
      assertThat(String.join("; ", whileDown.errors())).contains(url);

      own.restart();
      SyncReport after = satellite.syncOnce();

      assertThat(after.ok()).as(after.toJson()).isTrue();
      assertThat(after.checkpointSaved()).isTrue();
      assertThat(store.load().orElseThrow().entityCount()).isEqualTo(2);
      assertThat(edge.headManifest("library/app1", "v1")).isPresent();
    }
  }

  @Test
  void oneCopiesTheOtherStandsByAndTakesOverFromTheSharedCheckpointWithoutCopyingAgain()
      throws Exception {
    List<TestImage> first = List.of(image(1, 400_000), image(2, 500_000));
    String stateRef = publish(first);
    Agent a = agent("agent-a", stateRef, Satellite.builder());
    Agent b = agent("agent-b", stateRef, Satellite.builder());

    a.satellite().start(Duration.ofMinutes(10));
    a.heard().awaitRole(Role.LEADER, Duration.ofSeconds(5));
    b.satellite().start(Duration.ofMinutes(10));
    assertThat(b.heard().awaitRole(Role.STANDBY, Duration.ofSeconds(2)))
        .contains("competing for the lease " + SITE);
    SyncReport led = a.heard().awaitReport(r -> r.replicated() == 2);
    assertThat(led.ok()).as(led.toJson()).isTrue();
    Thread.sleep(TTL.toMillis()); // the standby tried several times meanwhile
    assertThat(b.heard().passesStarted).as("the standby runs no pass").hasValue(0);
    assertThat(b.satellite().role()).contains(Role.STANDBY);
    assertThatThrownBy(() -> b.satellite().syncOnce())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("standby");

    List<TestImage> more = new ArrayList<>(first);
    more.add(image(3, 600_000));
    publish(more);
    long before = upstreamBlobBytes();
    long closedAt = System.nanoTime();
    a.satellite().close();

    b.heard().awaitRole(Role.LEADER, TTL.multipliedBy(2));
    Duration takeover = Duration.ofNanos(System.nanoTime() - closedAt);
    SyncReport continued = b.heard().awaitReport(r -> true);
    assertThat(continued.ok()).as(continued.toJson()).isTrue();
    assertThat(continued.replicated()).as("only the new image").isEqualTo(1);
    assertThat(continued.unchanged()).as("recorded by the former leader").isEqualTo(2);
    long refetched = upstreamBlobBytes() - before;
    assertThat(refetched).as("blob bytes read by the new leader").isEqualTo(more.get(2).blobBytes());
    System.out.printf("takeover after close: %d ms; blob bytes read by the successor: %d"
        + " (the new image's: %d)%n", takeover.toMillis(), refetched, more.get(2).blobBytes());
    for (int i = 0; i < 3; i++) {
      assertThat(edge.headManifest("library/app" + i, "v1")).isPresent();
    }
  }

  @Test
  void aLeaderCutOffFromTheDatabaseStepsDownItsWritesRefusedAndTheStandbyFinishes()
      throws Exception {
    TestImage small = image(6, 100_000);
    TestImage large = image(7, 6 * 1024 * 1024);
    String stateRef = publish(List.of(small, large));
    // the leader copies slowly, so that it is mid-copy when it is cut off, with the small image
    // landed and not yet saved (a group's checkpoint is saved when its work ends)
    Agent a = agent("agent-a", stateRef, Satellite.builder().maxBandwidth(1024 * 1024));
    Agent b = agent("agent-b", stateRef, Satellite.builder());
    a.satellite().start(Duration.ofMinutes(10));
    a.heard().awaitRole(Role.LEADER, Duration.ofSeconds(5));
    b.satellite().start(Duration.ofMinutes(10));
    Thread.sleep(1500);
    assertThat(a.heard().reports).as("mid-copy").isEmpty();
    assertThat(edge.headManifest("library/app0", "v1")).as("the small image landed").isPresent();

    long cutAt = System.nanoTime();
    a.link().cutOff(true);
    String stepDown = a.heard().awaitRole(Role.STANDBY, TTL.multipliedBy(2));
    assertThat(stepDown).contains("not renewed");
    SyncReport interrupted = a.heard().awaitReport(r -> true);
    assertThat(interrupted.interrupted()).isTrue();
    assertThat(interrupted.checkpointSaved()).as("its closing write is refused").isFalse();
    assertThat(interrupted.errors()).anyMatch(e -> e.contains("does not hold the lease"));
    int passesOfA = a.heard().passesStarted.get();

    b.heard().awaitRole(Role.LEADER, TTL.multipliedBy(3));
    System.out.printf("takeover after the leader was cut off: %d ms%n",
        Duration.ofNanos(System.nanoTime() - cutAt).toMillis());
    SyncReport finished = b.heard().awaitReport(r -> true);
    assertThat(finished.ok()).as(finished.toJson()).isTrue();
    assertThat(finished.replicated() + finished.unchanged()).isEqualTo(2);

    a.link().cutOff(false); // back: it competes again, but b renews the lease
    Thread.sleep(TTL.toMillis() * 2);
    assertThat(a.satellite().role()).contains(Role.STANDBY);
    assertThat(a.heard().passesStarted).as("no pass after stepping down").hasValue(passesOfA);
    assertThat(a.lease().heldEpoch()).isEmpty();
    try (JdbcStateStore reader = JdbcStateStore.open(
        StateDatabase.postgres(databaseUrl, postgres.user(), postgres.password()), SITE)) {
      assertThat(reader.load().orElseThrow().entityCount()).isEqualTo(2);
    }
    assertThat(edge.headManifest("library/app1", "v1")).get()
        .satisfies(d -> assertThat(d.digest().toString()).isEqualTo(large.digest()));
  }
}
