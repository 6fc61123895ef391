package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.testing.FakeRegistry;
import dev.satellite.registry.testing.faults.Fault;
import dev.satellite.registry.testing.faults.SyncRig;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A full sync with secrets in play, logged at DEBUG (root, {@code dev.satellite} and {@code
 * okhttp3}) into a captured appender: a real upstream with Basic auth, and a second source registry
 * behind a Bearer token service (Basic credentials for the token, the token for the registry). Some
 * entities are made to fail (an edge refusing a manifest, a revoked token) so that error paths log
 * and report too. Then no password, token or Basic header value may appear in the logs, the report,
 * exception messages or {@code toString()}. Unit-level counterpart: {@link SecretHandlingAuthTest},
 * {@link CredentialsTest}.
 */
@RequiresRegistry
class SyncSecretHygieneIT {
  private static final String ROBOT = "robot$edge";
  private static final String ROBOT_PASSWORD = "robot-Secret-5d1e";
  private static final String WRONG_PASSWORD = "wrong-Secret-a77c";
  private static final String TOKEN = "token-Secret-0b9f";

  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
  private static final Map<String, Level> LEVELS = new ConcurrentHashMap<>();
  private static SyncRig rig;
  private static MockWebServer bearer;
  private static SyncReport report;
  private static RegistryClient bearerClient;
  private static OciStateSource source;

  @BeforeAll
  static void syncWithSecrets() throws Exception {
    for (String name : List.of(Logger.ROOT_LOGGER_NAME, "dev.satellite", "okhttp3")) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      LEVELS.put(name, logger.getLevel() == null ? Level.INFO : logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    LOGS.start();
    root().addAppender(LOGS);

    rig = new SyncRig();
    bearer = new MockWebServer();
    FakeRegistry fake = new FakeRegistry();
    TestImage tokenImage = TestImages.image(TestImages.Format.OCI, 3, TestBlob.random(3, 4096));
    tokenImage.blobs().forEach(b -> fake.putBlob("bearer/app", b.bytes()));
    fake.putManifest("bearer/app", tokenImage.mediaType(), tokenImage.manifest());
    bearer.setDispatcher(new TokenGuard(fake));
    bearer.start();
    String bearerUrl = "http://localhost:" + bearer.getPort();
    bearerClient = RegistryClient.builder(bearerUrl)
        .credentials(Credentials.basic(ROBOT, ROBOT_PASSWORD)).build();

    Digest app = rig.push("proj/app", 1);
    Digest broken = rig.push("proj/broken", 2);
    rig.edgeProxy.inject("PUT", "/v2/proj/broken/manifests/.+", Integer.MAX_VALUE,
        Fault.status(500));
    String basicGroup = rig.publishRawGroup("basic", bytes(SyncRig.groupJson(
        rig.upstreamProxy.baseUrl(), SyncRig.entryJson("proj/app", "v1", app.toString()),
        SyncRig.entryJson("proj/broken", "v1", broken.toString()))));
    String bearerGroup = rig.publishRawGroup("bearer", bytes(SyncRig.groupJson(bearerUrl,
        SyncRig.entryJson("bearer/app", "v1", tokenImage.digest()),
        SyncRig.entryJson("bearer/revoked", "v1", tokenImage.digest()))));
    String state = rig.publishSatellite(List.of(basicGroup, bearerGroup));
    source = OciStateSource.builder(rig.upstream, state).build();
    try (ImageCopier copier = ImageCopier.builder().retryDelayMillis(10).build()) {
      report = rig.sync(state, new InMemoryStateStore(), copier, b -> {}, url -> bearerClient);
    }
  }

  @AfterAll
  static void restore() {
    root().detachAppender(LOGS);
    LEVELS.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    source.close();
    bearerClient.close();
    bearer.close();
    rig.close();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every secret in play, and the Basic header values that carry them. */
  private static String[] secrets() {
    return new String[] {
      SyncRig.PASSWORD, ROBOT_PASSWORD, WRONG_PASSWORD, TOKEN,
      basic(SyncRig.USER, SyncRig.PASSWORD), basic(ROBOT, ROBOT_PASSWORD),
      basic(SyncRig.USER, WRONG_PASSWORD)
    };
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder().encodeToString(bytes(user + ":" + password));
  }

  @Test
  void theSyncUsedTheSecretsAndFailedWhereItWasMadeTo() {
    assertThat(report.replicated()).as(report.toJson()).isEqualTo(2);
    assertThat(report.failures()).extracting(f -> f.repository())
        .containsExactlyInAnyOrder("proj/broken", "bearer/revoked");
  }

  @Test
  void debugLogsHoldNoSecret() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : LOGS.list) {
      lines.add(event.getLoggerName() + " " + event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        lines.add(t.getClassName() + ": " + t.getMessage());
      }
    }
    assertThat(LOGS.list).filteredOn(e -> e.getLevel() == Level.DEBUG)
        .as("DEBUG logging was on").isNotEmpty();
    assertThat(String.join("\n", lines)).doesNotContain(secrets());
  }

  @Test
  void syncReportHoldsNoSecret() {
    assertThat(report.toJson()).doesNotContain(secrets());
    assertThat(report.toString()).doesNotContain(secrets());
  }

  @Test
  void exceptionMessagesOfRefusedCallsHoldNoSecret() {
    List<Throwable> thrown = new ArrayList<>();
    try (RegistryClient wrong = RegistryClient.builder(rig.upstreamProxy.baseUrl())
        .credentials(Credentials.basic(SyncRig.USER, WRONG_PASSWORD)).maxRetries(0).build()) {
      assertThatThrownBy(() -> wrong.listTags("proj/app")).satisfies(thrown::add)
          .hasMessageContaining("401");
    }
    assertThatThrownBy(() -> bearerClient.getManifest("bearer/revoked", "v1"))
        .satisfies(thrown::add).hasMessageContaining("401");
    assertThatThrownBy(() -> rig.upstream.getManifest("proj/absent", "v1"))
        .satisfies(thrown::add).hasMessageContaining("404");
    for (Throwable t : thrown) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        assertThat(c.getMessage() + " " + c).doesNotContain(secrets());
      }
    }
  }

  @Test
  void toStringOfClientsCredentialsAndOptionsHoldsNoSecret() {
    try (ImageCopier copier = ImageCopier.builder().build();
        RegistryReplicator replicator = new RegistryReplicator(url -> bearerClient, rig.edge)) {
      List<Object> values = List.of(rig.upstream, bearerClient, rig.edge,
          Credentials.basic(ROBOT, ROBOT_PASSWORD), source, copier, replicator,
          RegistryClient.builder("https://h.example").credentials(
              Credentials.basic(ROBOT, ROBOT_PASSWORD)));
      assertThat(values).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(secrets()));
    }
  }

  /**
   * A Bearer-protected registry: {@code /token} hands out {@link #TOKEN} for the robot's Basic
   * credentials; registry requests need that token; {@code bearer/revoked} refuses every token.
   */
  private static final class TokenGuard extends Dispatcher {
    private final FakeRegistry registry;

    TokenGuard(FakeRegistry registry) {
      this.registry = registry;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      String authorization = request.getHeaders().get("Authorization");
      if (request.getUrl().encodedPath().equals("/token")) {
        boolean robot = ("Basic " + basic(ROBOT, ROBOT_PASSWORD)).equals(authorization);
        return robot
            ? new MockResponse.Builder()
                .body("{\"token\": \"" + TOKEN + "\", \"expires_in\": 300}").build()
            : new MockResponse.Builder().code(401).build();
      }
      if (!("Bearer " + TOKEN).equals(authorization)
          || request.getUrl().encodedPath().startsWith("/v2/bearer/revoked/")) {
        return new MockResponse.Builder().code(401)
            .addHeader("WWW-Authenticate", "Bearer realm=\"http://localhost:"
                + request.getUrl().port() + "/token\",service=\"bearer\"")
            .build();
      }
      return registry.dispatch(request);
    }
  }
}
