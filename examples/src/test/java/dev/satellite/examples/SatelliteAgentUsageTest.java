package dev.satellite.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.examples.cli.ParsedSync;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SatelliteAgentUsageTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private ParsedSync parse(String... args) {
    return SatelliteAgent.parse(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
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
            "SatelliteAgent: Invalid value for option '--interval': 'soon' is not a duration "
                + "(use e.g. 500ms, 30s, 5m, 1h) (see --help)");
  }

  @Test
  void helpMentionsTheInterval() {
    assertThat(parse("--help").exitCode()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--interval=<30s|5m|1h>");
  }
}
