package dev.satellite.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.cli.support.FleetOptions;
import dev.satellite.cli.support.ParsedSync;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Go satellite's environment, its config.json as --config, and --import-go-config. */
class AgentCommandGoParityTest {
  private static final String GO_CONFIG = """
      {"state_config": {"auth": {"url": "https://harbor.example.com", "username": "robot$s-edge-3",
                                 "password": "Robot-Pw-3"},
                        "state": "harbor.example.com/satellite/satellite-state/edge-3/state:latest"},
       "app_config": {"ground_control_url": "https://gc.example.com"}}
      """;

  @TempDir Path temp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private ParsedSync parse(Map<String, String> env, String... args) {
    return AgentCommand.parse(args, env, new PrintStream(out, true, UTF_8),
        new PrintStream(err, true, UTF_8));
  }

  private FleetOptions fleet(Map<String, String> env, String... args) {
    ParsedSync parsed = parse(env, args);
    assertThat(parsed.options()).as(err.toString(UTF_8)).isPresent();
    return parsed.options().get().fleet().orElseThrow();
  }

  @Test
  void useUnsecureIsReadAsGoReadsItAndMakesAGroundControlWithoutSchemePlainHttp() {
    FleetOptions fleet = fleet(Map.of("USE_UNSECURE", "True", "TOKEN", "t"),
        "--ground-control", "10.0.0.9:8080", "--state-dir", "/tmp/s");

    assertThat(fleet.useUnsecure()).isTrue();
    assertThat(fleet.groundControlUrl()).isEqualTo("http://10.0.0.9:8080");
    assertThat(fleet(Map.of("USE_UNSECURE", "0"), "--ground-control", "10.0.0.9:8080",
        "--state-dir", "/tmp/s").groundControlUrl()).isEqualTo("10.0.0.9:8080");
  }

  @Test
  void aUseUnsecureThatIsNoBooleanOrThatContradictsACaIsAUsageError() {
    assertThat(parse(Map.of("USE_UNSECURE", "yes"), "--ground-control", "https://gc",
        "--state-dir", "/tmp/s").exitCode()).isEqualTo(2);
    assertThat(err.toString(UTF_8)).contains("environment variable USE_UNSECURE='yes' is not a"
        + " boolean");
    err.reset();
    assertThat(parse(Map.of("USE_UNSECURE", "true"), "--ground-control", "https://gc",
        "--state-dir", "/tmp/s", "--ground-control-ca", "/etc/hosts").exitCode()).isEqualTo(2);
    assertThat(err.toString(UTF_8)).contains("contradict each other");
  }

  @Test
  void theGoConfigDirIsTheStateDirectoryUnlessOneIsGiven() {
    assertThat(fleet(Map.of("CONFIG_DIR", "/var/lib/go-satellite"), "--ground-control",
        "https://gc").stateDirectory()).isEqualTo(Path.of("/var/lib/go-satellite"));
    assertThat(fleet(Map.of("CONFIG_DIR", "/var/lib/go-satellite"), "--ground-control",
        "https://gc", "--state-dir", "/tmp/s").stateDirectory()).isEqualTo(Path.of("/tmp/s"));
  }

  @Test
  void theConfigFileIsReadAndABadOneNamesTheFileAndTheField() throws Exception {
    Path good = Files.writeString(temp.resolve("good.json"),
        "{\"app_config\": {\"max_bandwidth\": 1000000}}");
    Path bad = Files.writeString(temp.resolve("bad.json"),
        "{\"app_config\": {\"sync_window_zone\": \"Mars/Olympus\"}}");

    assertThat(fleet(Map.of(), "--ground-control", "https://gc", "--state-dir", "/tmp/s",
        "--config", good.toString()).localConfig().orElseThrow().config().link().maxBandwidth())
        .hasValue(1000000);
    assertThat(parse(Map.of(), "--ground-control", "https://gc", "--state-dir", "/tmp/s",
        "--config", bad.toString()).exitCode()).isEqualTo(2);
    assertThat(err.toString(UTF_8)).contains("option --config: config file " + bad
        + ": app_config.sync_window_zone = \"Mars/Olympus\": not a time zone");
  }

  @Test
  void importsAGoConfigIntoTheStateDirectoryAndExitsZero() throws Exception {
    Path goConfig = Files.writeString(temp.resolve("config.json"), GO_CONFIG);
    Path state = temp.resolve("state");

    ParsedSync parsed = parse(Map.of(), "--import-go-config", goConfig.toString(), "--state-dir",
        state.toString());

    assertThat(parsed.exitCode()).as(err.toString(UTF_8)).isZero();
    assertThat(parsed.options()).isEmpty();
    assertThat(out.toString(UTF_8)).contains("imported satellite edge-3 from " + goConfig)
        .doesNotContain("Robot-Pw-3");
    assertThat(state.resolve("registration.json")).exists();
    assertThat(state.resolve("config-state.json")).exists();

    assertThat(parse(Map.of("CONFIG_DIR", state.toString()), "--import-go-config",
        goConfig.toString()).exitCode()).as("a second import").isEqualTo(2);
    assertThat(err.toString(UTF_8)).contains("holds a registration already");
  }

  @Test
  void importWithoutAStateDirectoryIsAUsageError() throws Exception {
    Path goConfig = Files.writeString(temp.resolve("config.json"), GO_CONFIG);

    assertThat(parse(Map.of(), "--import-go-config", goConfig.toString()).exitCode())
        .isEqualTo(2);
    assertThat(err.toString(UTF_8)).contains("--import-go-config needs --state-dir (or"
        + " CONFIG_DIR)");
  }
}
