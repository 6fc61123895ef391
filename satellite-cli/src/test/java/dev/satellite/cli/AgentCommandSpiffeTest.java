package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import dev.satellite.cli.support.FleetOptions;
import dev.satellite.cli.support.ParsedSync;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code satellite agent --ground-control <url> --spiffe ...}: the command line and environment. */
class AgentCommandSpiffeTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private ParsedSync parse(Map<String, String> env, String... args) {
    List<String> line = new ArrayList<>(List.of("--ground-control", "https://gc.example.com",
        "--state-dir", "/tmp/s"));
    line.addAll(List.of(args));
    return AgentCommand.parse(line.toArray(String[]::new), env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private SpiffeOptions spiffe(ParsedSync parsed) {
    assertThat(parsed.options()).as(err.toString(StandardCharsets.UTF_8)).isPresent();
    FleetOptions fleet = parsed.options().get().fleet().orElseThrow();
    assertThat(fleet.token()).isEmpty();
    return fleet.spiffe().orElseThrow();
  }

  private String usageError(ParsedSync parsed) {
    assertThat(parsed.exitCode()).isEqualTo(2);
    return err.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void spiffeWithTheDefaultSocketAndAnyServerOfTheBundle() {
    assertThat(spiffe(parse(Map.of(), "--spiffe"))).isEqualTo(SpiffeOptions.defaults());
  }

  @Test
  void socketAndExpectedServerIdFromTheCommandLine() {
    SpiffeOptions options = spiffe(parse(Map.of(), "--spiffe", "--spiffe-socket",
        "unix:///var/run/spire/agent.sock", "--spiffe-expected-server-id",
        "spiffe://example.org/gc/main"));
    assertThat(options.socket()).isEqualTo("unix:///var/run/spire/agent.sock");
    assertThat(options.expectedServerId()).contains("spiffe://example.org/gc/main");
  }

  @Test
  void harborSatellitesFlagNamesAreAliases() {
    SpiffeOptions options = spiffe(parse(Map.of(), "--spiffe-enabled",
        "--spiffe-endpoint-socket", "/var/run/spire/agent.sock"));
    assertThat(options.socket()).isEqualTo("unix:///var/run/spire/agent.sock");
  }

  @Test
  void harborSatellitesEnvironmentTurnsSpiffeOnAndFlagsWin() {
    Map<String, String> env = Map.of("SPIFFE_ENABLED", "true",
        "SPIFFE_ENDPOINT_SOCKET", "unix:///env/agent.sock",
        "SPIFFE_EXPECTED_SERVER_ID", "spiffe://example.org/gc/main");
    SpiffeOptions fromEnvironment = spiffe(parse(env));
    assertThat(fromEnvironment.socket()).isEqualTo("unix:///env/agent.sock");
    assertThat(fromEnvironment.expectedServerId()).contains("spiffe://example.org/gc/main");

    SpiffeOptions flagWins = spiffe(parse(env, "--spiffe-socket", "unix:///flag/agent.sock"));
    assertThat(flagWins.socket()).isEqualTo("unix:///flag/agent.sock");
    assertThat(flagWins.expectedServerId()).contains("spiffe://example.org/gc/main");
  }

  @Test
  void spiffeNeedsGroundControl() {
    ParsedSync parsed = AgentCommand.parse(new String[] {"--state", "h/s/state:latest",
        "--destination", "http://127.0.0.1:5000", "--spiffe"}, Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(usageError(parsed)).contains("--spiffe").contains("go with --ground-control");
  }

  @Test
  void aTokenAndSpiffeExcludeEachOther() {
    assertThat(usageError(parse(Map.of("SATELLITE_TOKEN", "t-1"), "--spiffe")))
        .contains("and --spiffe exclude each other")
        .doesNotContain("t-1");
  }

  @Test
  void socketWithoutSpiffeIsAUsageError() {
    assertThat(usageError(parse(Map.of(), "--spiffe-socket", "unix:///a.sock")))
        .contains("go with --spiffe");
  }

  @Test
  void anInvalidServerIdNamesTheOption() {
    assertThat(usageError(parse(Map.of(), "--spiffe", "--spiffe-expected-server-id", "gc-main")))
        .contains("option --spiffe-expected-server-id: 'gc-main' is not a SPIFFE ID");
  }

  @Test
  void anInvalidEnvironmentValueNamesTheVariable() {
    assertThat(usageError(parse(Map.of("SPIFFE_ENABLED", "true",
        "SPIFFE_ENDPOINT_SOCKET", "http://agent"))))
        .contains("environment variable SPIFFE_ENDPOINT_SOCKET: 'http://agent'");
  }

  @Test
  void helpListsTheSpiffeOptions() {
    AgentCommand.parse(new String[] {"--help"}, Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--spiffe, --spiffe-enabled")
        .contains("--spiffe-socket, --spiffe-endpoint-socket=<address>")
        .contains("--spiffe-expected-server-id=<spiffe-id>");
  }
}
