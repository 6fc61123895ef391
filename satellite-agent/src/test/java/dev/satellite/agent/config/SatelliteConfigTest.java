package dev.satellite.agent.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.agent.config.SatelliteConfig.LocalRegistry;
import dev.satellite.agent.config.SatelliteConfig.Metrics;
import dev.satellite.agent.config.SatelliteConfig.Reading;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The config state's {@code app_config}, as Ground Control publishes it, typed. */
class SatelliteConfigTest {
  private static final String FULL = """
      {"state_config": {"auth": {"url": "https://harbor"}, "state": "h/s"},
       "app_config": {
         "ground_control_url": "https://gc.example.com",
         "log_level": "debug",
         "use_unsecure": true,
         "state_replication_interval": "@every 00h01m00s",
         "register_satellite_interval": "@every 00h00m10s",
         "heartbeat_interval": "@every 1m30s",
         "metrics": {"collect_cpu": true, "collect_memory": false, "collect_storage": true},
         "bring_own_registry": true,
         "local_registry": {"url": "127.0.0.1:8585", "username": "admin", "password": "edge-pw"},
         "tls": {"cert_file": "/c.pem", "key_file": "/k.pem", "ca_file": "/ca.pem",
                 "skip_verify": false},
         "registry_fallback": {"enabled": true, "registries": ["docker.io"],
                               "runtimes": ["containerd"]},
         "harbor_registry_url": "https://harbor.example.com",
         "disable_heartbeat": false,
         "something_new": {"x": 1}
       },
       "zot_config": {"storage": {"rootDirectory": "./zot"}}}
      """;

  @Test
  void theEdgeUrlKeepsAWrittenSchemeElseFollowsUseUnsecure() {
    String edge = "{\"app_config\": {\"local_registry\": {\"url\": \"%s\"},"
        + " \"use_unsecure\": %s}}";

    assertThat(read(edge.formatted("edge:5000", false), SatelliteConfig.defaults()).config()
        .localRegistryUrl()).contains("https://edge:5000");
    assertThat(read(edge.formatted("edge:5000", true), SatelliteConfig.defaults()).config()
        .localRegistryUrl()).contains("http://edge:5000");
    assertThat(read(edge.formatted("https://edge:5000", true), SatelliteConfig.defaults())
        .config().localRegistryUrl()).contains("https://edge:5000");
  }

  @Test
  void theGoSatellitesFatalAndPanicLevelsReadAsError() {
    for (String level : new String[] {"fatal", "PANIC", " Fatal "}) {
      assertThat(read("{\"app_config\": {\"log_level\": \"" + level + "\"}}",
          SatelliteConfig.defaults()).config().logLevel()).contains("error");
    }
    assertThat(read("{\"app_config\": {\"log_level\": \"verbose\"}}",
        SatelliteConfig.defaults()).config().logLevel()).contains("verbose");
  }

  @Test
  void readsEveryAppConfigFieldAndIgnoresUnknownOnes() {
    Reading reading = read(FULL, SatelliteConfig.defaults());

    assertThat(reading.problems()).isEmpty();
    SatelliteConfig config = reading.config();
    assertThat(config.groundControlUrl()).contains("https://gc.example.com");
    assertThat(config.logLevel()).contains("debug");
    assertThat(config.useUnsecure()).isTrue();
    assertThat(config.stateReplicationInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.registerSatelliteInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.metrics()).isEqualTo(new Metrics(true, false, true));
    assertThat(config.bringOwnRegistry()).isTrue();
    assertThat(config.localRegistryUrl()).contains("http://127.0.0.1:8585");
    assertThat(config.localRegistry())
        .contains(new LocalRegistry("127.0.0.1:8585", "admin", "edge-pw"));
    assertThat(config.tls().certFile()).contains("/c.pem");
    assertThat(config.tls().keyFile()).contains("/k.pem");
    assertThat(config.tls().caFile()).contains("/ca.pem");
    assertThat(config.tls().skipVerify()).isFalse();
    assertThat(config.registryFallback().enabled()).isTrue();
    assertThat(config.registryFallback().registries()).containsExactly("docker.io");
    assertThat(config.registryFallback().runtimes()).containsExactly("containerd");
    assertThat(config.harborRegistryUrl()).contains("https://harbor.example.com");
    assertThat(config.toString()).doesNotContain("edge-pw");
  }

  @Test
  void everyFieldIsOptional() {
    assertThat(read("{}", SatelliteConfig.defaults())).isEqualTo(
        new Reading(SatelliteConfig.defaults(), List.of()));
    SatelliteConfig defaults = read("{\"app_config\": {}}", SatelliteConfig.defaults()).config();
    assertThat(defaults.stateReplicationInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.registerSatelliteInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.localRegistry()).isEmpty();
    assertThat(defaults.localRegistryUrl()).isEmpty();
    assertThat(defaults.metrics()).isEqualTo(new Metrics(false, false, false));
  }

  @Test
  void missingFieldTakesItsDefaultNotThePreviousValue() {
    SatelliteConfig previous = read(FULL, SatelliteConfig.defaults()).config();

    SatelliteConfig next = read("{\"app_config\": {\"log_level\": \"info\"}}", previous).config();

    assertThat(next.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(next.localRegistry()).isEmpty();
    assertThat(next.logLevel()).contains("info");
  }

  @Test
  void invalidValuesAreReportedAndKeepThePreviousValue() {
    SatelliteConfig previous = read(FULL, SatelliteConfig.defaults()).config();

    Reading reading = read("""
        {"app_config": {"heartbeat_interval": "@every 00h00m00s",
                        "state_replication_interval": "soon",
                        "use_unsecure": "yes",
                        "metrics": {"collect_cpu": 1},
                        "local_registry": {"url": "127.0.0.1:9999", "password": 7},
                        "registry_fallback": {"registries": "docker.io"},
                        "log_level": "warn"}}
        """, previous);

    SatelliteConfig config = reading.config();
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.stateReplicationInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.useUnsecure()).isTrue();
    assertThat(config.metrics().collectCpu()).isTrue();
    assertThat(config.localRegistry())
        .contains(new LocalRegistry("127.0.0.1:9999", "", "edge-pw"));
    assertThat(config.registryFallback().registries()).containsExactly("docker.io");
    assertThat(config.logLevel()).contains("warn");
    assertThat(reading.problems()).hasSize(6).allSatisfy(problem -> assertThat(problem)
        .startsWith("app_config.").endsWith("the previous value stays"));
    assertThat(reading.problems()).anySatisfy(problem -> assertThat(problem)
        .startsWith("app_config.heartbeat_interval = \"@every 00h00m00s\"")
        .contains("at least 1 second"));
    assertThat(reading.problems()).anySatisfy(problem -> assertThat(problem)
        .startsWith("app_config.local_registry.password = (hidden)"));
    assertThat(String.join("\n", reading.problems())).doesNotContain("edge-pw");
  }

  @Test
  void documentThatIsNotAJsonObjectKeepsThePreviousConfig() {
    SatelliteConfig previous = read(FULL, SatelliteConfig.defaults()).config();

    for (String bad : List.of("not json", "[1, 2]", "{\"app_config\": 5}")) {
      Reading reading = read(bad, previous);
      assertThat(reading.config()).isSameAs(previous);
      assertThat(reading.problems()).singleElement().asString()
          .endsWith("; the previous config stays");
    }
  }

  @Test
  void contentAfterTheDocumentOrNestingBeyondTheLimitKeepsThePreviousConfig() {
    SatelliteConfig previous = read(FULL, SatelliteConfig.defaults()).config();
    String deep = "[".repeat(65) + "]".repeat(65);

    Reading trailing = read(FULL + "{\"app_config\": {}}", previous);
    Reading nested = read("{\"app_config\": {\"something_new\": " + deep + "}}", previous);

    assertThat(trailing.config()).isSameAs(previous);
    assertThat(trailing.problems()).singleElement().asString()
        .startsWith("the config state is not valid JSON: ")
        .endsWith("; the previous config stays");
    assertThat(nested.config()).isSameAs(previous);
    assertThat(nested.problems()).singleElement().asString()
        .startsWith("the config state is not valid JSON: ")
        .contains("nesting depth");
  }

  @Test
  void unknownMembersNestedWithinTheLimitAreIgnored() {
    String deep = "[".repeat(60) + "]".repeat(60);
    Reading reading = read("{\"app_config\": {\"log_level\": \"warn\", \"something_new\": "
        + deep + "}, \"other_section\": {\"x\": " + deep + "}}", SatelliteConfig.defaults());

    assertThat(reading.problems()).isEmpty();
    assertThat(reading.config().logLevel()).contains("warn");
  }

  @Test
  void blankIntervalMeansTheDefault() {
    assertThat(read("{\"app_config\": {\"heartbeat_interval\": \"\"}}",
        SatelliteConfig.defaults()).config().heartbeatInterval())
        .isEqualTo(SatelliteConfig.DEFAULT_HEARTBEAT_INTERVAL);
    assertThat(read("{\"app_config\": {\"local_registry\": {\"url\": \"\"}}}",
        SatelliteConfig.defaults()).config().localRegistry()).isEqualTo(Optional.empty());
  }

  @Test
  void builderStartsFromEveryFieldOfTheGivenConfig() {
    SatelliteConfig config = read(FULL, SatelliteConfig.defaults()).config();

    SatelliteConfig copy = SatelliteConfig.builder(config).build();
    assertThat(copy).isEqualTo(config).hasSameHashCodeAs(config);
    assertThat(copy.toString()).isEqualTo(config.toString());

    SatelliteConfig changed =
        SatelliteConfig.builder(config).heartbeatInterval(Duration.ofMinutes(5)).build();
    assertThat(changed).isNotEqualTo(config);
    assertThat(changed.heartbeatInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(SatelliteConfig.builder(changed).heartbeatInterval(config.heartbeatInterval())
        .build()).isEqualTo(config);
  }

  private static Reading read(String json, SatelliteConfig previous) {
    return SatelliteConfig.read(json.getBytes(UTF_8), previous);
  }
}
