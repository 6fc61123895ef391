package dev.satellite.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.ConfigHandler;
import dev.satellite.registry.SyncWindow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigAppliersTest {
  private final List<String> told = new ArrayList<>();

  @Test
  void outsideAFleetTheConfigStateIsReadForItsLinkFieldsThenHandedOnTypedThenRaw() {
    EdgeLink link = new EdgeLink.Options().build(null);
    List<String> handedOn = new ArrayList<>();
    ConfigHandler handler = new ConfigAppliers(List.of(link,
        (previous, next) -> handedOn.add("typed, max_bytes_per_pass "
            + next.link().maxBytesPerPass().getAsLong())),
        body -> body, (digest, body) -> handedOn.add(digest), (digest, body) -> { });

    handler.configChanged("sha256:1", ("{\"app_config\": {\"sync_windows\": [\"22:00-06:00\"],"
        + " \"sync_window_zone\": \"UTC\", \"max_bytes_per_pass\": 1000}}")
        .getBytes(StandardCharsets.UTF_8));

    assertThat(link.rules().windows()).containsExactly(SyncWindow.parse("22:00-06:00"));
    assertThat(link.rules().zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(link.rules().maxBytesPerPass()).hasValue(1000);
    assertThat(handedOn).containsExactly("typed, max_bytes_per_pass 1000", "sha256:1");
  }

  @Test
  void eachApplierIsToldThePreviousAndTheNextConfigInTheOrderGivenThenAppliedThenApplication() {
    ConfigAppliers appliers = appliers(body -> body);

    appliers.configChanged("sha256:1", config("\"state_replication_interval\": \"@every 00h00m20s\""));
    appliers.configChanged("sha256:2", config("\"state_replication_interval\": \"@every 00h00m40s\""));

    assertThat(told).containsExactly(
        "first PT30S -> PT20S", "second PT30S -> PT20S", "applied sha256:1", "application sha256:1",
        "first PT20S -> PT40S", "second PT20S -> PT40S", "applied sha256:2", "application sha256:2");
    assertThat(appliers.current().stateReplicationInterval()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void anInvalidValueKeepsThePreviousOneAndTheRestApplies() {
    ConfigAppliers appliers = appliers(body -> body);
    appliers.configChanged("sha256:1", config("\"state_replication_interval\": \"@every 00h00m20s\""));

    appliers.configChanged("sha256:2", config("\"state_replication_interval\": \"soon\","
        + " \"heartbeat_interval\": \"@every 00h00m15s\""));

    assertThat(appliers.current().stateReplicationInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(appliers.current().heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void theOverlayIsLaidOverEachBodyAndTheAppliedHandlerGetsTheBodyAsItCame() {
    byte[] local = config("\"state_replication_interval\": \"@every 00h01m00s\"");
    List<byte[]> saved = new ArrayList<>();
    ConfigAppliers appliers = new ConfigAppliers(List.of(), body -> local, null,
        (digest, body) -> saved.add(body));
    byte[] fromHarbor = config("\"state_replication_interval\": \"@every 00h00m20s\"");

    appliers.configChanged("sha256:1", fromHarbor);

    assertThat(appliers.current().stateReplicationInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(saved).containsExactly(fromHarbor);
  }

  @Test
  void aConfigFoundAtStartIsAppliedWithoutTheApplicationsHandler() {
    ConfigAppliers appliers = appliers(body -> body);

    appliers.applyAtStart("sha256:1", config("\"state_replication_interval\": \"@every 00h00m20s\""));

    assertThat(told).containsExactly("first PT30S -> PT20S", "second PT30S -> PT20S",
        "applied sha256:1");
  }

  @Test
  void aFailureOfTheApplicationsHandlerPropagatesAfterTheConfigWasApplied() {
    ConfigAppliers appliers = new ConfigAppliers(List.of(), body -> body,
        (digest, body) -> {
          throw new IllegalStateException("application refused " + digest);
        }, (digest, body) -> told.add("applied " + digest));

    assertThatThrownBy(() -> appliers.configChanged("sha256:1",
        config("\"state_replication_interval\": \"@every 00h00m20s\"")))
        .hasMessage("application refused sha256:1");
    assertThat(told).containsExactly("applied sha256:1");
    assertThat(appliers.current().stateReplicationInterval()).isEqualTo(Duration.ofSeconds(20));
  }

  private ConfigAppliers appliers(java.util.function.UnaryOperator<byte[]> overlay) {
    return new ConfigAppliers(List.of(
        (previous, next) -> told.add("first " + previous.stateReplicationInterval() + " -> "
            + next.stateReplicationInterval()),
        (previous, next) -> told.add("second " + previous.stateReplicationInterval() + " -> "
            + next.stateReplicationInterval())),
        overlay, (digest, body) -> told.add("application " + digest),
        (digest, body) -> told.add("applied " + digest));
  }

  private static byte[] config(String appConfig) {
    return ("{\"app_config\": {" + appConfig + "}}").getBytes(StandardCharsets.UTF_8);
  }
}
