package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.cli.support.ParsedSync;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentCommandUsageTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private ParsedSync parse(String... args) {
    return AgentCommand.parse(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void intervalDefaultsToThirtySeconds() {
    ParsedSync result =
        parse("--state", "127.0.0.1:5101/satellite/satellite-state/e/state:latest",
            "--destination", "http://127.0.0.1:5102");
    assertThat(result.options()).isPresent();
    assertThat(result.options().get().interval()).contains(Duration.ofSeconds(30));
    assertThat(result.options().get().upstreamBaseUrl()).isEqualTo("https://127.0.0.1:5101");
  }

  @Test
  void badIntervalExitsTwoWithOneLine() {
    ParsedSync result =
        parse("--state", "http://127.0.0.1:5101/s/state:latest", "--destination",
            "http://127.0.0.1:5102", "--interval", "soon");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo(
            "satellite agent: Invalid value for option '--interval': 'soon' is not a duration "
                + "(use e.g. 500ms, 30s, 5m, 1h) (see --help)");
  }

  @Test
  void helpMentionsTheInterval() {
    assertThat(parse("--help").exitCode()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--interval=<30s|5m|1h>");
  }

  @Test
  void groundControlTakesTheTokenFromTheEnvironmentAndNeedsNoDestination() {
    ParsedSync result = AgentCommand.parse(
        new String[] {"--ground-control", "https://gc.example.com", "--state-dir", "/tmp/s"},
        Map.of("SATELLITE_TOKEN", "t-123"), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(result.options()).isPresent();
    var fleet = result.options().get().fleet().orElseThrow();
    assertThat(fleet.groundControlUrl()).isEqualTo("https://gc.example.com");
    assertThat(fleet.token()).contains("t-123");
    assertThat(fleet.toString()).doesNotContain("t-123");
    assertThat(result.options().get().destinationUrl()).isNull();
  }

  @Test
  void tokenOptionWinsOverTheEnvironmentAndMayBeAbsent() {
    assertThat(parse("--ground-control", "http://127.0.0.1:8080", "--state-dir", "/tmp/s",
        "--token", "from-option").options().orElseThrow().fleet().orElseThrow().token())
        .contains("from-option");
    assertThat(parse("--ground-control", "http://127.0.0.1:8080", "--state-dir", "/tmp/s")
        .options().orElseThrow().fleet().orElseThrow().token()).isEmpty();
  }

  @Test
  void stateAndSourceUserAreRefusedWithGroundControl() {
    ParsedSync withState = parse("--ground-control", "http://127.0.0.1:8080", "--state-dir",
        "/tmp/s", "--state", "h/satellite/satellite-state/e/state:latest");
    assertThat(withState.exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("options --state and --ground-control exclude each other");

    err.reset();
    ParsedSync withUser = parse("--ground-control", "http://127.0.0.1:8080", "--state-dir",
        "/tmp/s", "--source-user", "robot");
    assertThat(withUser.exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("options --source-user and --ground-control exclude each other");
  }

  @Test
  void groundControlNeedsAStateDirectory() {
    ParsedSync result = parse("--ground-control", "http://127.0.0.1:8080");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs --state-dir");
  }

  @Test
  void withoutGroundControlStateAndDestinationAreRequired() {
    assertThat(parse("--destination", "http://127.0.0.1:5102").exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).strip())
        .isEqualTo("satellite agent: Missing required option: '--state=<ref>' (see --help)");
  }

  @Test
  void unreadableGroundControlCaIsAUsageError() {
    ParsedSync result = parse("--ground-control", "https://gc.example.com", "--state-dir",
        "/tmp/s", "--ground-control-ca", "/nonexistent/ca.pem");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("option --ground-control-ca: cannot read file '/nonexistent/ca.pem'");
  }

  private static final String STATE = "127.0.0.1:5101/satellite/satellite-state/edge-7/state:latest";

  private ParsedSync parseWith(Map<String, String> env, String... args) {
    return AgentCommand.parse(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void stateDbTakesThePasswordFromTheEnvironmentAndTheSiteFromTheStateReference() {
    ParsedSync result = parseWith(Map.of("SATELLITE_STATE_DB_PASSWORD", "db-s3cret",
            "PGPASSWORD", "other"), "--state", STATE, "--destination", "http://127.0.0.1:5102",
        "--state-db", "jdbc:postgresql://db.site:5432/satellite", "--state-db-user", "agent",
        "--lease-ttl", "5s");
    assertThat(result.options()).isPresent();
    var db = result.options().get().stateDb().orElseThrow();
    assertThat(db.site()).isEqualTo("edge-7");
    assertThat(db.user()).contains("agent");
    assertThat(db.password()).contains("db-s3cret");
    assertThat(db.leaseTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(db.toString()).doesNotContain("db-s3cret");
  }

  @Test
  void stateDbFallsBackToPgPasswordAndTheDefaultTtl() {
    ParsedSync result = parseWith(Map.of("PGPASSWORD", "pg-s3cret", "PGUSER", "pg-user"),
        "--state", STATE, "--destination", "http://127.0.0.1:5102",
        "--state-db", "jdbc:postgresql://db.site/satellite", "--site", "hall-b");
    var db = result.options().orElseThrow().stateDb().orElseThrow();
    assertThat(db.password()).contains("pg-s3cret");
    assertThat(db.user()).contains("pg-user");
    assertThat(db.site()).isEqualTo("hall-b");
    assertThat(db.leaseTtl()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void aPasswordInTheDatabaseUrlIsRefused() {
    ParsedSync result = parse("--state", STATE, "--destination", "http://127.0.0.1:5102",
        "--state-db", "jdbc:postgresql://db.site/satellite?user=a&password=visible");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("the URL carries a password; put it in the environment")
        .doesNotContain("visible");
  }

  @Test
  void stateDbOptionsAreCheckedBeforeAnythingIsContacted() {
    assertThat(parse("--state", STATE, "--destination", "http://127.0.0.1:5102",
        "--lease-ttl", "5s").exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--state-db-user, --site and --lease-ttl go with --state-db");
    err.reset();
    assertThat(parse("--state", STATE, "--destination", "http://127.0.0.1:5102",
        "--state-db", "jdbc:mysql://db/satellite").exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not a PostgreSQL JDBC URL");
    err.reset();
    assertThat(parse("--state", STATE, "--destination", "http://127.0.0.1:5102",
        "--state-db", "jdbc:postgresql://db/s", "--lease-ttl", "500ms").exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--lease-ttl: must be at least 1s");
    err.reset();
    assertThat(parse("--state", STATE, "--destination", "http://127.0.0.1:5102",
        "--state-db", "jdbc:postgresql://db/s", "--site", "no spaces").exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("option --site: invalid lease name");
  }

  @Test
  void theGoSatellitesEnvironmentVariablesAreReadBesideOurs() {
    var fleet = parseWith(Map.of("GROUND_CONTROL_URL", "http://10.0.0.9:8080",
        "TOKEN", "go-token", "HARBOR_REGISTRY_URL", "http://10.0.0.5:8080"),
        "--state-dir", "/tmp/s").options().orElseThrow().fleet().orElseThrow();

    assertThat(fleet.groundControlUrl()).isEqualTo("http://10.0.0.9:8080");
    assertThat(fleet.token()).contains("go-token");
    assertThat(fleet.harborRegistryUrl()).contains("http://10.0.0.5:8080");
    assertThat(fleet.toString()).doesNotContain("go-token");
  }

  @Test
  void optionsAndOurVariablesWinOverTheGoNames() {
    var fleet = parseWith(Map.of("GROUND_CONTROL_URL", "http://10.0.0.9:8080",
        "TOKEN", "go-token", "SATELLITE_TOKEN", "ours", "HARBOR_REGISTRY_URL", "http://h:1"),
        "--ground-control", "https://gc.example.com", "--state-dir", "/tmp/s",
        "--harbor-registry-url", "https://harbor.example.com").options().orElseThrow().fleet()
        .orElseThrow();

    assertThat(fleet.groundControlUrl()).isEqualTo("https://gc.example.com");
    assertThat(fleet.token()).contains("ours");
    assertThat(fleet.harborRegistryUrl()).contains("https://harbor.example.com");
  }

  @Test
  void aHarborRegistryUrlWithAPathIsAUsageError() {
    ParsedSync result = parse("--ground-control", "https://gc.example.com", "--state-dir",
        "/tmp/s", "--harbor-registry-url", "http://10.0.0.5:8080/v2");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("option --harbor-registry-url: 'http://10.0.0.5:8080/v2' is not");
  }

  @Test
  void groundControlUrlFromTheEnvironmentIsIgnoredBesideAState() {
    ParsedSync result = parseWith(Map.of("GROUND_CONTROL_URL", "http://10.0.0.9:8080"),
        "--state", "127.0.0.1:5101/satellite/satellite-state/e/state:latest",
        "--destination", "http://127.0.0.1:5102");
    assertThat(result.options().orElseThrow().fleet()).isEmpty();
  }
}
