package dev.satellite.agent.groundcontrol.spiffe;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpiffeOptionsTest {
  @Test
  void defaultsAreHarborSatellites() {
    SpiffeOptions options = SpiffeOptions.defaults();
    assertThat(options.socket()).isEqualTo("unix:///run/spire/sockets/agent.sock");
    assertThat(options.expectedServerId()).isEmpty();
    assertThat(options.svidWait()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aBarePathIsAUnixSocketAndTcpAddressesAreAccepted() {
    assertThat(SpiffeOptions.builder().socket("/var/run/agent.sock").build().socket())
        .isEqualTo("unix:///var/run/agent.sock");
    assertThat(SpiffeOptions.builder().socket("tcp://127.0.0.1:8081").build().socket())
        .isEqualTo("tcp://127.0.0.1:8081");
  }

  @Test
  void invalidSocketsAndServerIdsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> SpiffeOptions.builder().socket("http://agent:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'http://agent:8081' is not a Workload API address");
    assertThatThrownBy(() -> SpiffeOptions.builder().socket("tcp://agent.example:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IP:port");
    assertThatThrownBy(() -> SpiffeOptions.builder().expectedServerId("https://gc/main"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'https://gc/main' is not a SPIFFE ID");
    assertThatThrownBy(() -> SpiffeOptions.builder().svidWait(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theEnvironmentTurnsSpiffeOnWithHarborSatellitesNames() {
    assertThat(SpiffeOptions.fromEnvironment(Map.of("SPIFFE_ENDPOINT_SOCKET", "unix:///a.sock")))
        .as("not enabled").isEmpty();
    Optional<SpiffeOptions> options = SpiffeOptions.fromEnvironment(Map.of(
        "SPIFFE_ENABLED", "true", "SPIFFE_ENDPOINT_SOCKET", "unix:///a.sock",
        "SPIFFE_EXPECTED_SERVER_ID", "spiffe://example.org/gc/main"));
    assertThat(options).get().satisfies(o -> {
      assertThat(o.socket()).isEqualTo("unix:///a.sock");
      assertThat(o.expectedServerId()).contains("spiffe://example.org/gc/main");
    });
    assertThatThrownBy(() -> SpiffeOptions.fromEnvironment(Map.of("SPIFFE_ENABLED", "1",
        "SPIFFE_EXPECTED_SERVER_ID", "gc-main")))
        .hasMessageStartingWith("SPIFFE_EXPECTED_SERVER_ID: 'gc-main' is not a SPIFFE ID");
  }

  @Test
  void appConfigSpiffeIsRead() {
    String config = "{\"state_config\": {}, \"app_config\": {\"spiffe\": {\"enabled\": true,"
        + " \"endpoint_socket\": \"unix:///run/spire/agent.sock\","
        + " \"expected_server_id\": \"spiffe://example.org/gc/main\"}}}";
    assertThat(SpiffeOptions.fromConfig(config.getBytes(UTF_8), "config.json")).contains(
        SpiffeOptions.builder().socket("unix:///run/spire/agent.sock")
            .expectedServerId("spiffe://example.org/gc/main").build());
    assertThat(SpiffeOptions.fromConfig("{\"app_config\": {\"spiffe\": {\"enabled\": false}}}"
        .getBytes(UTF_8), "config.json")).isEmpty();
    assertThat(SpiffeOptions.fromConfig("{\"app_config\": {}}".getBytes(UTF_8), "c")).isEmpty();
  }

  @Test
  void badAppConfigSpiffeNamesTheFileAndField() {
    assertThatThrownBy(() -> SpiffeOptions.fromConfig(("{\"app_config\": {\"spiffe\":"
        + " {\"enabled\": true, \"endpoint_socket\": 5}}}").getBytes(UTF_8), "config.json"))
        .hasMessage("config.json: app_config.spiffe.endpoint_socket is not a string: 5");
    assertThatThrownBy(() -> SpiffeOptions.fromConfig(("{\"app_config\": {\"spiffe\":"
        + " {\"enabled\": \"yes\"}}}").getBytes(UTF_8), "config.json"))
        .hasMessageContaining("app_config.spiffe.enabled is not true or false");
    assertThatThrownBy(() -> SpiffeOptions.fromConfig("{".getBytes(UTF_8), "config.json"))
        .hasMessageStartingWith("config.json: not JSON");
  }
}
