package dev.satellite.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.registry.SyncWindow;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The link fields of our own under {@code app_config}. */
class SatelliteConfigLinkTest {

  private static SatelliteConfig.Reading read(String appConfig, SatelliteConfig previous) {
    return SatelliteConfig.read(("{\"app_config\": " + appConfig + "}")
        .getBytes(StandardCharsets.UTF_8), previous);
  }

  @Test
  void readsBandwidthWindowsZoneAndBudget() {
    SatelliteConfig.Reading reading = read("{\"max_bandwidth\": 2097152, \"sync_windows\":"
        + " [\"22:00-06:00\", \"12:00-13:00\"], \"sync_window_zone\": \"Europe/Berlin\","
        + " \"max_bytes_per_pass\": 5368709120}", SatelliteConfig.defaults());

    SatelliteConfig.Link link = reading.config().link();
    assertThat(reading.problems()).isEmpty();
    assertThat(link.maxBandwidth()).hasValue(2_097_152);
    assertThat(link.syncWindows()).containsExactly(SyncWindow.parse("22:00-06:00"),
        SyncWindow.parse("12:00-13:00"));
    assertThat(link.syncWindowZone()).contains(ZoneId.of("Europe/Berlin"));
    assertThat(link.maxBytesPerPass()).hasValue(5_368_709_120L);
  }

  @Test
  void invalidLinkFieldsKeepThePreviousValuesAndSayWhy() {
    SatelliteConfig previous = read("{\"max_bandwidth\": 1000, \"sync_windows\": [\"01:00-02:00\"],"
        + " \"sync_window_zone\": \"UTC\"}", SatelliteConfig.defaults()).config();

    SatelliteConfig.Reading reading = read("{\"max_bandwidth\": 0, \"sync_windows\": [\"1-2\"],"
        + " \"sync_window_zone\": \"Moon/Base\", \"max_bytes_per_pass\": \"lots\"}", previous);

    assertThat(reading.config().link()).isEqualTo(previous.link());
    assertThat(reading.problems()).hasSize(4).anySatisfy(p -> assertThat(p)
        .startsWith("app_config.sync_windows = [\"1-2\"]: sync window '1-2' is not of the form"))
        .anySatisfy(p -> assertThat(p).contains("sync_window_zone").contains("not a time zone"))
        .anySatisfy(p -> assertThat(p).contains("max_bandwidth = 0"));
  }

  @Test
  void absentLinkFieldsMeanNoRules() {
    assertThat(read("{}", SatelliteConfig.defaults()).config().link())
        .isEqualTo(SatelliteConfig.Link.NONE);
  }
}
