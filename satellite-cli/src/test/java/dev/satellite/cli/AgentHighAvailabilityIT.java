package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.jdbc.JdbcStateStore;
import dev.satellite.jdbc.StateDatabase;
import dev.satellite.registry.RegistryClient;
import dev.satellite.testing.AccessLog;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.PostgresServer;
import dev.satellite.testing.RequiresPostgres;
import dev.satellite.testing.RequiresRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code satellite agent --state-db} processes of one site, one PostgreSQL, one edge: one
 * copies, the other stands by; the leader killed (SIGKILL) or frozen (SIGSTOP) mid-copy is
 * replaced within twice the lease TTL by the standby, which continues from the shared checkpoint
 * without fetching again what the edge has; a frozen leader resumed (SIGCONT) steps down.
 */
@RequiresRegistry
@RequiresPostgres
class AgentHighAvailabilityIT {
  private static final String SITE = "edge-1";
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final int IMAGES = 4;

  @TempDir Path dir;
  private DistributionRegistry upstream;
  private DistributionRegistry edge;
  private PostgresServer postgres;
  private String databaseUrl;
  private String stateRef;
  private final Map<String, String> desired = new LinkedHashMap<>();
  private final List<ChildJvm> agents = new ArrayList<>();

  @BeforeEach
  void start() {
    postgres = PostgresServer.shared();
    databaseUrl = postgres.newDatabase();
    upstream = DistributionRegistry.builder().start();
    edge = DistributionRegistry.builder().start();
    desired.putAll(DemoImages.push(upstream, IMAGES, 1, 2));
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    ByteArrayOutputStream ref = new ByteArrayOutputStream();
    assertThat(PublishStateCommand.run(new String[] {"--registry", upstream.baseUrl(),
        "--satellite", SITE, "--group", "g1=demo/app1:v1,demo/app2:v1",
        "--group", "g2=demo/app3:v1,demo/app4:v1"}, Map.of(),
        new PrintStream(ref, true, StandardCharsets.UTF_8), quiet)).isZero();
    stateRef = ref.toString(StandardCharsets.UTF_8).strip();
  }

  @AfterEach
  void stop() throws Exception {
    for (ChildJvm agent : agents) {
      resume(agent); // a stopped process would not die of SIGKILL until continued
      agent.close();
    }
    edge.close();
    upstream.close();
  }

  /** An agent of the site; the leader copies at 2 MiB/s, so a pass takes seconds. */
  private ChildJvm agent(String name) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    ChildJvm agent = ChildJvm.start(home.resolve("agent.log"),
        Map.of("SATELLITE_STATE_DB_PASSWORD", postgres.password()), "agent",
        List.of("--state", stateRef, "--destination", edge.baseUrl(),
            "--checkpoint", home.resolve("unused-checkpoint.json").toString(),
            "--interval", "1h", "--max-bandwidth", "2MiB/s",
            "--state-db", databaseUrl, "--state-db-user", postgres.user(),
            "--lease-ttl", TTL.toSeconds() + "s",
            // two agents on one machine: only one could serve the default --listen port
            "--listen", "off"));
    agents.add(agent);
    return agent;
  }

  private static void await(ChildJvm agent, String line, Duration timeout) throws Exception {
    assertThat(agent.awaitLine(l -> l.contains(line), timeout))
        .as("'%s' within %s; output:%n%s", line, timeout, agent.output()).isTrue();
  }

  private static long count(String output, String text) {
    return output.lines().filter(l -> l.contains(text)).count();
  }

  @Test
  void theStandbyTakesOverFromAKilledLeaderWithoutFetchingWhatTheEdgeHas() throws Exception {
    ChildJvm a = agent("a");
    await(a, "role: leader", Duration.ofSeconds(30));
    ChildJvm b = agent("b");
    await(b, "role: standby", Duration.ofSeconds(30));
    await(a, "copied demo/app", Duration.ofSeconds(60));

    a.kill();
    long killedAt = System.nanoTime();
    Set<String> atEdge = blobsAt(edge);
    int upstreamMark = upstream.requests().size();
    assertThat(count(b.output(), "sync ")).as("the standby ran no pass").isZero();

    await(b, "role: leader", TTL.multipliedBy(2));
    Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
    await(b, "sync ok", Duration.ofSeconds(60));

    List<AccessLog.Entry> all = upstream.requests();
    List<String> refetched = new ArrayList<>();
    long refetchedBytes = 0;
    long successorBytes = 0;
    for (AccessLog.Entry e : all.subList(upstreamMark, all.size())) {
      if (e.isBlobGet() && !e.inRepositoryUnder("satellite/")) {
        successorBytes += e.bytes();
        if (atEdge.contains(e.path().substring(e.path().lastIndexOf('/') + 1))) {
          refetched.add(e.path());
          refetchedBytes += e.bytes();
        }
      }
    }
    System.out.printf("SIGKILL: takeover %d ms (TTL %d s); successor read %d blob bytes, of"
        + " which %d of blobs already at the edge%n", takeover.toMillis(), TTL.toSeconds(),
        successorBytes, refetchedBytes);
    assertThat(refetched).as("blobs fetched again although at the edge").isEmpty();
    assertEdgeHoldsTheState();
    assertThat(sharedCheckpointEpoch()).isEqualTo(2);
  }

  @Test
  void aFrozenLeaderIsReplacedAndStepsDownWhenItResumes() throws Exception {
    ChildJvm a = agent("a");
    await(a, "role: leader", Duration.ofSeconds(30));
    ChildJvm b = agent("b");
    await(b, "role: standby", Duration.ofSeconds(30));
    await(a, "copied demo/app", Duration.ofSeconds(60));

    signal(a, "STOP");
    long frozenAt = System.nanoTime();
    await(b, "role: leader", TTL.multipliedBy(2));
    Duration takeover = Duration.ofNanos(System.nanoTime() - frozenAt);
    await(b, "sync ok", Duration.ofSeconds(60));
    long aLinesBefore = a.output().lines().count();

    signal(a, "CONT");
    await(a, "role: standby", Duration.ofSeconds(10));
    Thread.sleep(TTL.toMillis());
    String afterResume = a.output().lines().skip(aLinesBefore)
        .reduce("", (x, y) -> x + y + "\n");
    System.out.printf("SIGSTOP: takeover %d ms (TTL %d s); the resumed leader said:%n%s",
        takeover.toMillis(), TTL.toSeconds(), afterResume);
    // its pass in flight ends without success: interrupted when the loss is seen while it copies
    // (what it copied before the freeze was saved then, under its epoch), or "incomplete" when it
    // had already copied everything and only its closing save was left, which the fenced store
    // refuses; either way the checkpoint is written last by the successor (below)
    List<String> passEnds = afterResume.lines().filter(l -> l.contains("satellite - sync ")).toList();
    assertThat(passEnds).as("the resumed leader's pass").hasSize(1);
    assertThat(passEnds.get(0)).containsAnyOf("sync interrupted", "sync incomplete");
    assertThat(a.process().isAlive()).as("it stands by").isTrue();
    assertEdgeHoldsTheState();
    assertThat(sharedCheckpointEpoch()).as("written last by the successor").isEqualTo(2);
    try (JdbcStateStore store = JdbcStateStore.open(
        StateDatabase.postgres(databaseUrl, postgres.user(), postgres.password()), SITE)) {
      assertThat(store.load().orElseThrow().entityCount()).isEqualTo(IMAGES);
    }
  }

  private void assertEdgeHoldsTheState() {
    try (RegistryClient client = RegistryClient.builder(edge.baseUrl()).build()) {
      for (Map.Entry<String, String> image : desired.entrySet()) {
        String repository = image.getKey().substring(0, image.getKey().indexOf(':'));
        assertThat(client.listTags(repository)).containsExactly("v1");
        assertThat(client.headManifest(repository, "v1")).as(repository).get()
            .satisfies(d -> assertThat(d.digest().toString()).isEqualTo(image.getValue()));
      }
    }
  }

  private long sharedCheckpointEpoch() throws SQLException {
    try (Connection c = DriverManager.getConnection(databaseUrl, postgres.user(),
            postgres.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT epoch FROM satellite_checkpoint WHERE name = '"
            + SITE + "'")) {
      assertThat(r.next()).as("a checkpoint was saved").isTrue();
      return r.getLong(1);
    }
  }

  private static void signal(ChildJvm agent, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal,
        String.valueOf(agent.process().pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
  }

  private static void resume(ChildJvm agent) throws Exception {
    if (agent.process().isAlive()) {
      new ProcessBuilder("kill", "-CONT", String.valueOf(agent.process().pid())).start()
          .waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Digests of the blobs committed in the edge's storage. */
  private static Set<String> blobsAt(DistributionRegistry registry) throws IOException {
    Path blobs = registry.storageDir().resolve("docker/registry/v2/blobs/sha256");
    Set<String> digests = new HashSet<>();
    if (!Files.isDirectory(blobs)) {
      return digests;
    }
    try (Stream<Path> files = Files.walk(blobs, 3)) {
      files.filter(p -> Files.exists(p.resolve("data")))
          .forEach(p -> digests.add("sha256:" + p.getFileName()));
    }
    return digests;
  }
}
