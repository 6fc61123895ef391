package dev.satellite.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EveryIntervalTest {

  @ParameterizedTest
  @CsvSource({
      "@every 00h00m30s, 30",
      "@every 00h00m05s, 5",
      "@every 1m30s, 90",
      "@every 1h, 3600",
      "@every 1.5h, 5400",
      "@every 2m, 120",
      "@every 1500ms, 1.5",
      "'  @every  10s ', 10",
      "@every 100h00m00s, 360000",
  })
  void parsesGoDurations(String text, double seconds) {
    assertThat(EveryInterval.parse(text)).isEqualTo(Duration.ofMillis((long) (seconds * 1000)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"@every 00h00m00s", "@every 0", "@every 500ms", "@every 0s"})
  void refusesIntervalsUnderASecond(String text) {
    assertThatThrownBy(() -> EveryInterval.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("at least 1 second");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30s", "every 30s", "@every", "@every ", "@every 30",
      "@every 30x", "@every -30s", "@every 1..5s", "@every h", "@every 30s garbage",
      "@daily", "@every 10s5"})
  void refusesGarbageQuotingIt(String text) {
    assertThatThrownBy(() -> EveryInterval.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @CsvSource({
      "30, @every 00h00m30s",
      "90, @every 00h01m30s",
      "3661, @every 01h01m01s",
      "360000, @every 100h00m00s",
  })
  void formatsAsGroundControlWritesIt(long seconds, String text) {
    assertThat(EveryInterval.format(Duration.ofSeconds(seconds))).isEqualTo(text);
    assertThat(EveryInterval.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 999})
  void formatRefusesUnderASecond(long millis) {
    assertThatThrownBy(() -> EveryInterval.format(Duration.ofMillis(millis)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void formatDropsFractionsOfASecond() {
    assertThat(EveryInterval.format(Duration.ofMillis(1999))).isEqualTo("@every 00h00m01s");
  }
}
