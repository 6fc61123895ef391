package dev.satellite.agent.groundcontrol.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.agent.groundcontrol.CredentialState;
import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.HeartbeatAnswer;
import dev.satellite.agent.groundcontrol.Registration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robot account's life as a running satellite sees it, with MockWebServer as Ground Control:
 * refusals change the state once (not once per beat or pass), a refresh flag rotates the secret
 * and saves it before use, and a token file registers again, once per token.
 */
class CredentialKeeperTest {
  private static final String STATE =
      "https://harbor.example.com/satellite/satellite-state/edge-1/state:latest";
  private static final Registration CURRENT =
      new Registration(STATE, "https://harbor.example.com", "robot$satellite-edge-1", "old-Secret");
  private static final HeartbeatAnswer NO_EVENTS = new HeartbeatAnswer(200, List.of());
  private static final HeartbeatAnswer REFRESH =
      new HeartbeatAnswer(200, List.of(HeartbeatAnswer.REFRESH_CREDENTIALS));

  @TempDir Path stateDirectory;

  private final MockWebServer server = new MockWebServer();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  private GroundControlClient client;
  private RegistrationFile registrationFile;
  private RobotCredentials robot;

  @BeforeEach
  void start() throws Exception {
    server.start();
    String url = "http://" + server.getHostName() + ":" + server.getPort();
    client = GroundControlClient.builder(url).build();
    registrationFile = new RegistrationFile(stateDirectory, clock);
    registrationFile.save(url, CURRENT);
    robot = new RobotCredentials(CURRENT, registrationFile, url);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void refusalsRepeatedByEveryBeatAndPassChangeTheStateOnceAndAnAcceptedBeatEndsIt() {
    CredentialKeeper keeper = keeper(Optional.empty());
    Instant began = clock.advance(Duration.ofMinutes(1));

    keeper.refused(unauthorized());
    clock.advance(Duration.ofMinutes(1));
    keeper.refused(unauthorized());
    keeper.passEnded(Optional.of(true));
    clock.advance(Duration.ofMinutes(1));
    keeper.passEnded(Optional.of(true));
    keeper.refused(unauthorized());

    CredentialState refused = keeper.state();
    assertThat(refused.groundControlRefuses()).isTrue();
    assertThat(refused.harborRefuses()).isTrue();
    assertThat(refused.since()).as("when Harbor's refusal joined Ground Control's, not later")
        .isEqualTo(began.plus(Duration.ofMinutes(1)));
    assertThat(keeper.activityNote()).contains("Harbor and Ground Control refuse")
        .contains(CURRENT.username()).doesNotContain(CURRENT.password());
    assertThat(new CredentialStatusFile(stateDirectory).read()).contains(refused);

    Instant ended = clock.advance(Duration.ofMinutes(5));
    keeper.accepted(NO_EVENTS);
    keeper.passEnded(Optional.of(false));

    CredentialState accepted = keeper.state();
    assertThat(accepted.refused()).isFalse();
    assertThat(accepted.since()).isEqualTo(ended);
    assertThat(keeper.activityNote()).isEmpty();
    assertThat(server.getRequestCount()).as("no token, so nothing asked of Ground Control")
        .isZero();
  }

  @Test
  void theStateSinceIsThatOfTheFirstRefusalNotOfTheLatest() {
    CredentialKeeper keeper = keeper(Optional.empty());
    Instant first = clock.advance(Duration.ofMinutes(1));
    keeper.refused(unauthorized());
    clock.advance(Duration.ofHours(3));
    keeper.refused(unauthorized());

    assertThat(keeper.state().since()).isEqualTo(first);
  }

  @Test
  void aFailureOtherThan401IsNotARefusal() {
    CredentialKeeper keeper = keeper(Optional.empty());

    keeper.refused(new GroundControlException("Ground Control answered 503", 503, true, null));
    keeper.passEnded(Optional.empty());

    assertThat(keeper.state().refused()).isFalse();
  }

  @Test
  void aRefreshFlagRotatesTheSecretWithTheCurrentOneSavesItAndUsesItFromTheNextRequest()
      throws Exception {
    CredentialKeeper keeper = keeper(Optional.empty());
    server.enqueue(new MockResponse.Builder().code(200)
        .body("{\"robot_name\": \"robot$satellite-edge-1\", \"secret\": \"new-Secret\"}").build());

    keeper.accepted(REFRESH);

    RecordedRequest refresh = server.takeRequest();
    assertThat(refresh.getMethod()).isEqualTo("POST");
    assertThat(refresh.getTarget()).isEqualTo("/satellites/refresh-credentials");
    assertThat(refresh.getHeaders().get("Authorization")).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString("robot$satellite-edge-1:old-Secret".getBytes(UTF_8)));
    assertThat(robot.get().password()).isEqualTo("new-Secret");
    assertThat(robot.upstream().get())
        .isEqualTo(dev.satellite.registry.Credentials.basic("robot$satellite-edge-1",
            "new-Secret"));
    assertThat(robot.generation()).isEqualTo(1);
    assertThat(registrationFile.load().orElseThrow().registration().password())
        .isEqualTo("new-Secret");
    assertThat(keeper.state().refreshedAt()).contains(clock.instant());
  }

  @Test
  void aFailedRefreshKeepsTheSecretInUseAndOnDiskAndIsTriedAgainWhenAskedNext() throws Exception {
    CredentialKeeper keeper = keeper(Optional.empty());
    server.enqueue(new MockResponse.Builder().code(500).body("harbor down").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"secret\": \"new-Secret\"}").build());

    keeper.accepted(REFRESH);

    assertThat(robot.get().password()).isEqualTo("old-Secret");
    assertThat(registrationFile.load().orElseThrow().registration().password())
        .isEqualTo("old-Secret");
    assertThat(keeper.state().problem()).hasValueSatisfying(p -> assertThat(p)
        .contains("credential refresh failed").doesNotContain("old-Secret"));

    keeper.accepted(REFRESH);

    assertThat(robot.get().password()).isEqualTo("new-Secret");
    assertThat(keeper.state().problem()).isEmpty();
  }

  @Test
  void aTokenFileRegistersAgainOnceKeepsTheSatelliteAndIsDeleted() throws Exception {
    CredentialKeeper keeper = keeper(Optional.empty());
    keeper.refused(unauthorized());
    writeToken("fresh-token");
    server.enqueue(new MockResponse.Builder().code(200).body(answer("re-Registered")).build());

    keeper.passEnded(Optional.of(true));

    assertThat(server.takeRequest().getTarget()).isEqualTo("/satellites/ztr/fresh-token");
    assertThat(robot.get().password()).isEqualTo("re-Registered");
    assertThat(registrationFile.load().orElseThrow().registration().password())
        .isEqualTo("re-Registered");
    assertThat(stateDirectory.resolve(TokenFile.NAME)).doesNotExist();
    assertThat(keeper.state().refused()).as("new credentials count as accepted").isFalse();

    keeper.accepted(NO_EVENTS);
    assertThat(server.getRequestCount()).as("a used token is not sent again").isEqualTo(1);
  }

  @Test
  void aTokenGroundControlRefusedIsNotSentAgainUntilTheFileHoldsAnother() throws Exception {
    CredentialKeeper keeper = keeper(Optional.empty());
    writeToken("spent-token");
    server.enqueue(new MockResponse.Builder().code(401).body("invalid token").build());

    keeper.accepted(NO_EVENTS);
    keeper.accepted(NO_EVENTS);
    keeper.passEnded(Optional.empty());

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(stateDirectory.resolve(TokenFile.NAME)).exists();
    assertThat(keeper.state().problem()).hasValueSatisfying(p -> assertThat(p)
        .contains("refused").doesNotContain("spent-token"));
    assertThat(robot.get()).isEqualTo(CURRENT);

    writeToken("other-token");
    server.enqueue(new MockResponse.Builder().code(200).body(answer("re-Registered")).build());
    keeper.accepted(NO_EVENTS);

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(robot.get().password()).isEqualTo("re-Registered");
  }

  @Test
  void aTokenFileOthersCanReadIsNotUsed() throws Exception {
    CredentialKeeper keeper = keeper(Optional.empty());
    Path token = writeToken("loose-token");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

    keeper.accepted(NO_EVENTS);

    assertThat(server.getRequestCount()).isZero();
    assertThat(keeper.state().problem()).hasValueSatisfying(p -> assertThat(p)
        .contains(token.toString()).contains("chmod 600").doesNotContain("loose-token"));
  }

  @Test
  void theTokenGivenAtStartIsTriedOnceAndOnlyWhenTheRobotAccountIsRefused() throws Exception {
    CredentialKeeper keeper = keeper(Optional.of("start-token"));
    keeper.accepted(NO_EVENTS);
    assertThat(server.getRequestCount()).as("accepted: the start token is not needed").isZero();

    server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
    keeper.refused(unauthorized());
    keeper.refused(unauthorized());

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest().getTarget()).isEqualTo("/satellites/ztr/start-token");
  }

  private CredentialKeeper keeper(Optional<String> startToken) {
    return new CredentialKeeper(client, robot, new TokenFile(stateDirectory), startToken,
        new CredentialStatusFile(stateDirectory), clock);
  }

  private Path writeToken(String token) throws Exception {
    Path file = stateDirectory.resolve(TokenFile.NAME);
    Files.writeString(file, token + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static GroundControlException unauthorized() {
    return new GroundControlException("Ground Control answered 401", 401, false, null);
  }

  private static String answer(String password) {
    return "{\"state\": \"" + STATE + "\", \"auth\": {\"url\": \"https://harbor.example.com\","
        + " \"username\": \"robot$satellite-edge-1\", \"password\": \"" + password + "\"}}";
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    Instant advance(Duration by) {
      now = now.plus(by);
      return now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
