package dev.satellite.agent.groundcontrol.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.groundcontrol.RegistrationRefusedException;
import dev.satellite.agent.groundcontrol.TestGroundControlClients;
import dev.satellite.core.SatelliteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration: saved and reused, retried while Ground Control may come back, refused at once. */
class RegistrarTest {
  private static final String TOKEN = "one-time-3f9a";
  private static final String ANSWER = "{\"state\": \"https://harbor.example.com/satellite/"
      + "satellite-state/edge-1/state:latest\", \"auth\": {\"url\": \"https://harbor.example.com\","
      + " \"username\": \"robot$satellite-edge-1\", \"password\": \"r0b0t-Secret\"}}";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T21:00:00Z"),
      ZoneOffset.UTC);

  @TempDir Path directory;
  private final MockWebServer server = new MockWebServer();
  private final List<Duration> sleeps = new ArrayList<>();
  private long fakeNanos;
  private GroundControlClient client;
  private RegistrationFile file;

  @BeforeEach
  void start() throws Exception {
    server.start();
    client = GroundControlClient.builder("http://" + server.getHostName() + ":" + server.getPort())
        .build();
    file = new RegistrationFile(directory, CLOCK);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  /** A registrar every 5 s on a fake clock that sleeping advances; jitter at its middle. */
  private Registrar registrar(Duration patience) {
    return registrar(Optional.of(patience), () -> 0.5);
  }

  private Registrar registrar(Optional<Duration> patience, DoubleSupplier random) {
    return new Registrar(client, file, Duration.ofSeconds(5), patience, duration -> {
      sleeps.add(duration);
      fakeNanos += duration.toNanos();
    }, random, () -> fakeNanos);
  }

  @Test
  void registersOnceSavesOwnerOnlyAndReusesTheSavedRegistrationWithoutAToken() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());

    Registration first = registrar(Duration.ofMinutes(1)).obtain(Optional.of(TOKEN));
    Registration again = registrar(Duration.ofMinutes(1)).obtain(Optional.empty());
    Registration withToken = registrar(Duration.ofMinutes(1)).obtain(Optional.of(TOKEN));

    assertThat(again).isEqualTo(first);
    assertThat(withToken).as("a saved registration spends no token").isEqualTo(first);
    assertThat(server.getRequestCount()).isEqualTo(1);
    Path saved = directory.resolve(RegistrationFile.NAME);
    assertThat(Files.getPosixFilePermissions(saved))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String content = Files.readString(saved);
    assertThat(content).contains("\"format\" : \"satellite-registration\"").contains("\"sha256\"")
        .doesNotContain(TOKEN);
    try (var listing = Files.list(directory)) {
      assertThat(listing).as("no temp file left").containsExactly(saved);
    }
  }

  @Test
  void passableFailuresAreRetriedAtTheIntervalJitteredByUpToAFifth() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(502).build());
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());
    double[] randoms = {0.0, 0.5, 0.999_999};
    int[] next = {0};

    Registration registration = registrar(Optional.empty(), () -> randoms[next[0]++])
        .obtain(Optional.of(TOKEN));

    assertThat(registration.username()).isEqualTo("robot$satellite-edge-1");
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(sleeps.get(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(5_999), Duration.ofSeconds(6));
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void keepsTryingForEverWithoutPatienceAndWaitsAsLongAsA429Asks() {
    for (int i = 0; i < 30; i++) {
      server.enqueue(new MockResponse.Builder().code(503).build());
    }
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "17")
        .body("{\"error\": \"Too Many Requests\"}").build());
    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());
    List<Duration> budgetWaits = new ArrayList<>();
    client.close();
    client = TestGroundControlClients.withBudget(
        "http://" + server.getHostName() + ":" + server.getPort(),
        new RequestBudget(RequestBudget.PERMITS, RequestBudget.WINDOW, () -> fakeNanos,
            duration -> {
              budgetWaits.add(duration);
              fakeNanos += duration.toNanos();
            }));

    Registration registration = registrar(Optional.empty(), () -> 0.5).obtain(Optional.of(TOKEN));

    assertThat(registration.password()).isEqualTo("r0b0t-Secret");
    assertThat(server.getRequestCount()).isEqualTo(32);
    assertThat(sleeps).hasSize(31);
    assertThat(sleeps.subList(0, 30)).containsOnly(Duration.ofSeconds(5));
    assertThat(sleeps.get(30)).as("Retry-After wins over the interval")
        .isEqualTo(Duration.ofSeconds(17));
    assertThat(budgetWaits).as("every 11th request waits for the window to move on")
        .isNotEmpty().allSatisfy(wait -> assertThat(wait).isPositive());
  }

  @Test
  void refusedTokenIsNotRetried() {
    server.enqueue(new MockResponse.Builder().code(400)
        .body("{\"error\": \"Invalid or expired token\"}").build());

    assertThatThrownBy(() -> registrar(Duration.ofMinutes(1)).obtain(Optional.of(TOKEN)))
        .isInstanceOf(RegistrationRefusedException.class)
        .hasMessageContaining("Invalid or expired token");
    assertThat(sleeps).isEmpty();
    assertThat(Files.exists(directory.resolve(RegistrationFile.NAME))).isFalse();
  }

  @Test
  void expiredTokenIsRefusedToo() {
    server.enqueue(new MockResponse.Builder().code(401)
        .body("{\"message\": \"Error: Token Expired\", \"code\": 401}").build());

    assertThatThrownBy(() -> registrar(Optional.empty(), () -> 0.5).obtain(Optional.of(TOKEN)))
        .isInstanceOfSatisfying(RegistrationRefusedException.class,
            e -> assertThat(e.statusCode()).hasValue(401))
        .hasMessageContaining("Token Expired");
  }

  @Test
  void givesUpWhenGroundControlStaysDownForThePatience() {
    server.enqueue(new MockResponse.Builder().code(503).build());

    assertThatThrownBy(() -> registrar(Duration.ZERO).obtain(Optional.of(TOKEN)))
        .isInstanceOfSatisfying(GroundControlException.class,
            e -> assertThat(e.passable()).isTrue());
  }

  @Test
  void noSavedRegistrationAndNoTokenSaysWhatIsNeeded() {
    assertThatThrownBy(() -> registrar(Duration.ofMinutes(1)).obtain(Optional.empty()))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("no registration saved in " + directory)
        .hasMessageContaining("token");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void corruptSavedRegistrationIsAnErrorWithoutTokenAndReplacedWithOne() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());
    registrar(Duration.ofMinutes(1)).obtain(Optional.of(TOKEN));
    Path saved = directory.resolve(RegistrationFile.NAME);
    Files.writeString(saved, Files.readString(saved).replace("r0b0t-Secret", "r0b0t-Secreu"));

    assertThatThrownBy(() -> registrar(Duration.ofMinutes(1)).obtain(Optional.empty()))
        .hasMessageContaining("checksum does not match")
        .hasMessageContaining("give a new registration token")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("r0b0t"));

    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());
    Registration registration = registrar(Duration.ofMinutes(1)).obtain(Optional.of("new-token"));

    assertThat(registration.password()).isEqualTo("r0b0t-Secret");
    assertThat(directory.resolve(RegistrationFile.NAME + ".corrupt-20261201T210000Z")).exists();
    assertThat(new String(Files.readAllBytes(saved), UTF_8)).contains("r0b0t-Secret");
  }

  @Test
  void truncatedSavedRegistrationIsDetected() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body(ANSWER).build());
    registrar(Duration.ofMinutes(1)).obtain(Optional.of(TOKEN));
    Path saved = directory.resolve(RegistrationFile.NAME);
    byte[] bytes = Files.readAllBytes(saved);
    Files.write(saved, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> file.load())
        .isInstanceOf(RegistrationFile.CorruptRegistrationException.class)
        .hasMessageContaining("not valid JSON");
  }
}
