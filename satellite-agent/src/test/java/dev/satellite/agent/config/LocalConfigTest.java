package dev.satellite.agent.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.SatelliteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's own config file, in the shape of the Go satellite's config.json. */
class LocalConfigTest {
  @TempDir Path temp;

  private LocalConfig local(String json) throws Exception {
    Path file = temp.resolve("satellite.json");
    Files.writeString(file, json);
    return LocalConfig.read(file);
  }

  @Test
  void fieldsGroundControlCannotCarryAreLaidOverItsConfigAndItsOwnFieldsStay() throws Exception {
    LocalConfig local = local("""
        {"app_config": {"max_bandwidth": 1048576, "sync_windows": ["22:00-06:00"],
                        "sync_window_zone": "Europe/Berlin", "max_bytes_per_pass": 5000000,
                        "local_registry": {"username": "edge-user"}}}
        """);
    byte[] groundControls = """
        {"state_config": {}, "app_config": {"heartbeat_interval": "@every 00h00m05s",
         "local_registry": {"url": "http://127.0.0.1:8585"}}, "zot_config": {}}
        """.getBytes(UTF_8);

    SatelliteConfig merged = SatelliteConfig.read(local.over(groundControls),
        SatelliteConfig.defaults()).config();

    assertThat(merged.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(merged.link().maxBandwidth()).hasValue(1048576);
    assertThat(merged.link().maxBytesPerPass()).hasValue(5000000);
    assertThat(merged.link().syncWindowZone()).contains(ZoneId.of("Europe/Berlin"));
    assertThat(merged.link().syncWindows()).hasSize(1);
    assertThat(merged.localRegistry().orElseThrow().url()).isEqualTo("http://127.0.0.1:8585");
    assertThat(merged.localRegistry().orElseThrow().username()).isEqualTo("edge-user");
  }

  @Test
  void aFieldSetInTheFileWinsOverGroundControls() throws Exception {
    LocalConfig local = local("{\"app_config\": {\"heartbeat_interval\": \"@every 00h01m00s\"}}");

    SatelliteConfig merged = SatelliteConfig.read(local.over(
        "{\"app_config\": {\"heartbeat_interval\": \"@every 00h00m05s\"}}".getBytes(UTF_8)),
        SatelliteConfig.defaults()).config();

    assertThat(merged.heartbeatInterval()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aConfigStateWithoutAppConfigGetsTheFilesAndOneThatIsNoObjectStaysAsItIs()
      throws Exception {
    LocalConfig local = local("{\"app_config\": {\"max_bandwidth\": 10}}");

    assertThat(SatelliteConfig.read(local.over("{}".getBytes(UTF_8)), SatelliteConfig.defaults())
        .config().link().maxBandwidth()).hasValue(10);
    assertThat(local.over("[1]".getBytes(UTF_8))).isEqualTo("[1]".getBytes(UTF_8));
  }

  @Test
  void isTheConfigTheSatelliteStartsWith() throws Exception {
    LocalConfig local = local("""
        {"state_config": {"auth": {"password": "ignored-here"}},
         "app_config": {"use_unsecure": true, "register_satellite_interval": "@every 00h00m02s",
                        "harbor_registry_url": "http://10.0.0.5:8080", "log_level": "panic"}}
        """);

    assertThat(local.config().useUnsecure()).isTrue();
    assertThat(local.config().registerSatelliteInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(local.config().harborRegistryUrl()).contains("http://10.0.0.5:8080");
    assertThat(local.config().logLevel()).contains("error");
  }

  @Test
  void anInvalidFieldFailsNamingTheFileAndTheField() {
    assertThatThrownBy(() -> local("{\"app_config\": {\"max_bandwidth\": -5}}"))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining(temp.resolve("satellite.json").toString())
        .hasMessageContaining("app_config.max_bandwidth = -5: must be a whole number of bytes")
        .hasMessageNotContaining("previous value");
    assertThatThrownBy(() -> local("{\"app_config\": {\"sync_windows\": [\"25:00-06:00\"]}}"))
        .hasMessageContaining("app_config.sync_windows");
  }

  @Test
  void aFileThatIsNotAConfigFailsNamingTheFile() {
    Path file = temp.resolve("satellite.json");
    assertThatThrownBy(() -> local("{\"app_config\": ")).hasMessageStartingWith(
        "config file " + file + " is not valid JSON");
    assertThatThrownBy(() -> local("{\"max_bandwidth\": 5}")).hasMessage("config file " + file
        + " has no app_config section: the settings go there, as in the Go satellite's"
        + " config.json");
    assertThatThrownBy(() -> local("{\"app_config\": 5}"))
        .hasMessage("config file " + file + ": app_config must be a JSON object");
    assertThatThrownBy(() -> LocalConfig.read(temp.resolve("missing.json")))
        .hasMessageStartingWith("config file " + temp.resolve("missing.json") + " cannot be read");
  }
}
