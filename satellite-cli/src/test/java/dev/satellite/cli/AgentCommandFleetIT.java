package dev.satellite.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.satellite.agent.groundcontrol.internal.GroundControlLink;
import dev.satellite.cli.support.ParsedSync;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code AgentCommand --ground-control} end to end: a Ground Control stand-in hands out the
 * robot account of a real upstream registry; the config names the edge registry, so no
 * {@code --destination} is given; a restart needs no token; Harbor published under a name this
 * node cannot use is reached where the Go satellite's {@code HARBOR_REGISTRY_URL} says.
 */
@RequiresRegistry
class AgentCommandFleetIT {
  private static final String ROBOT = "robot$satellite-edge-1";
  private static final String PASSWORD = "robot-pw-9931";
  private static final String TOKEN = "ztr-5e1f";

  @TempDir Path temp;
  private DistributionRegistry upstreamRegistry;
  private DistributionRegistry edgeRegistry;
  private RegistryClient upstream;
  private HttpServer groundControl;
  private final AtomicInteger registrations = new AtomicInteger();
  private final AtomicInteger heartbeats = new AtomicInteger();
  private final ListAppender<ILoggingEvent> beatLines = new ListAppender<>();
  private final Logger linkLogger = (Logger) LoggerFactory.getLogger(GroundControlLink.class);
  /** Harbor's URL as Ground Control publishes it: the upstream's, unless a test says otherwise. */
  private volatile String publishedHarbor;

  @BeforeEach
  void start() throws IOException {
    upstreamRegistry = DistributionRegistry.builder().basicAuth(ROBOT, PASSWORD).start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstream = RegistryClient.builder(upstreamRegistry.baseUrl())
        .credentials(Credentials.basic(ROBOT, PASSWORD)).build();
    groundControl = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    groundControl.createContext("/satellites/", this::groundControl);
    groundControl.start();
    publishedHarbor = upstreamRegistry.baseUrl();
    beatLines.start();
    linkLogger.addAppender(beatLines);
  }

  @AfterEach
  void stop() {
    linkLogger.detachAppender(beatLines);
    groundControl.stop(0);
    upstream.close();
    upstreamRegistry.close();
    edgeRegistry.close();
  }

  private void groundControl(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    int status = 404;
    String body = "{\"error\": \"not found\"}";
    if (path.equals("/satellites/ztr/" + TOKEN) && registrations.incrementAndGet() == 1) {
      status = 200;
      body = "{\"state\": \"" + publishedHarbor
          + "/satellite/satellite-state/edge-1/state:latest\", \"auth\": {\"url\": \""
          + publishedHarbor + "\", \"username\": \"" + ROBOT + "\", \"password\": \""
          + PASSWORD + "\"}}";
    } else if (path.startsWith("/satellites/ztr/")) {
      status = 400;
      body = "{\"error\": \"Invalid or expired token\"}";
    } else if (path.equals("/satellites/sync") && exchange.getRequestMethod().equals("POST")) {
      exchange.getRequestBody().readAllBytes();
      heartbeats.incrementAndGet();
      status = 200;
      body = "{}";
    }
    byte[] bytes = body.getBytes(UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void joinsTheFleetSyncsToTheEdgeTheConfigNamesAndRestartsWithoutTheToken() throws Exception {
    String digest = upstreamRegistry.push("proj/app",
        TestImages.image(TestImages.Format.OCI, 1, TestBlob.random(1, 32 * 1024)), "v1");
    publishState("proj/app");
    Path stateDir = temp.resolve("state");
    String[] args = {"--ground-control", "http://127.0.0.1:" + groundControl.getAddress().getPort(),
        "--state-dir", stateDir.toString()};

    runUntil(args, Map.of("SATELLITE_TOKEN", TOKEN), () -> edgeDigest().equals(Optional.of(digest))
        && loggedLines().contains("heartbeat to Ground Control: 200, 1 image"));

    int before = heartbeats.get();
    runUntil(args, Map.of(), () -> heartbeats.get() >= before + 1);
    assertThat(registrations.get()).as("the saved registration is reused").isEqualTo(1);
  }

  @Test
  void theGoSatellitesHarborRegistryUrlReachesHarborPublishedUnderANameThisNodeCannotUse()
      throws Exception {
    publishedHarbor = "http://harbor.internal.invalid:8080";
    String digest = upstreamRegistry.push("proj/app",
        TestImages.image(TestImages.Format.OCI, 2, TestBlob.random(2, 32 * 1024)), "v1");
    publishState("proj/app");
    String[] args = {"--ground-control", "http://127.0.0.1:" + groundControl.getAddress().getPort(),
        "--state-dir", temp.resolve("state").toString()};

    runUntil(args, Map.of("TOKEN", TOKEN, "HARBOR_REGISTRY_URL", upstreamRegistry.baseUrl()),
        () -> edgeDigest().equals(Optional.of(digest)));
  }

  /** The lines logged so far (the appender adds them under its own lock). */
  private List<String> loggedLines() {
    synchronized (beatLines) {
      return beatLines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private Optional<String> edgeDigest() {
    try (RegistryClient edge = RegistryClient.builder(edgeRegistry.baseUrl()).build()) {
      return edge.headManifest("proj/app", "v1").map(d -> d.digest().toString());
    }
  }

  private void runUntil(String[] args, Map<String, String> env, BooleanSupplier done)
      throws InterruptedException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, UTF_8);
    ParsedSync parsed = AgentCommand.parse(args, env, System.out, errStream);
    assertThat(parsed.options()).as(err.toString(UTF_8)).isPresent();
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger status = new AtomicInteger(-1);
    Thread agent = new Thread(() -> status.set(
        AgentCommand.run(parsed.options().get(), System.out, errStream, stop)), "agent-under-test");
    agent.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline && agent.isAlive()) {
      Thread.sleep(100);
    }
    stop.countDown();
    agent.join(30_000);
    assertThat(done.getAsBoolean()).as("agent output: " + err.toString(UTF_8)).isTrue();
    assertThat(status.get()).isZero();
  }

  private void publishState(String repository) {
    StatePublisher publisher =
        StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
    publisher.publishGroup("g1", publishedHarbor,
        List.of(new StateImage(repository, List.of("v1"), Optional.empty())));
    String group = publishedHarbor + "/satellite/group-state/g1/state:latest";
    publisher.publishConfig("edge-1", ("{\"app_config\": {\"heartbeat_interval\": "
        + "\"@every 00h00m01s\", \"state_replication_interval\": \"@every 00h00m01s\", "
        + "\"local_registry\": {\"url\": \"" + edgeRegistry.baseUrl() + "\"}}}").getBytes(UTF_8));
    publisher.publishSatellite("edge-1", List.of(group), Optional.of(
        publishedHarbor + "/satellite/config-state/edge-1/state:latest"));
  }
}
