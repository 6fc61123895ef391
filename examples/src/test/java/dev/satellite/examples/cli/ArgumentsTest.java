package dev.satellite.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
  private static final Set<String> VALUES = Set.of("state", "interval");
  private static final Set<String> SWITCHES = Set.of("json");

  private static Arguments parse(String... args) {
    return Arguments.parse(args, VALUES, SWITCHES);
  }

  @Test
  void readsSeparateAndInlineValuesAndSwitches() {
    Arguments args = parse("--state", "a/b:c", "--interval=30s", "--json");
    assertThat(args.required("state")).isEqualTo("a/b:c");
    assertThat(args.value("interval")).contains("30s");
    assertThat(args.has("json")).isTrue();
  }

  @Test
  void unknownOptionIsNamed() {
    assertThatThrownBy(() -> parse("--stat", "x"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unknown option --stat (see --help)");
  }

  @Test
  void missingValueIsNamed() {
    assertThatThrownBy(() -> parse("--state")).hasMessage("option --state needs a value");
    assertThatThrownBy(() -> parse("--state", "--json"))
        .hasMessage("option --state needs a value");
  }

  @Test
  void repeatedOptionIsRejected() {
    assertThatThrownBy(() -> parse("--json", "--json"))
        .hasMessage("option --json is given more than once");
  }

  @Test
  void positionalArgumentIsRejected() {
    assertThatThrownBy(() -> parse("sync"))
        .hasMessage("unexpected argument 'sync' (options start with --)");
  }

  @Test
  void switchWithValueIsRejected() {
    assertThatThrownBy(() -> parse("--json=yes")).hasMessage("option --json takes no value");
  }

  @Test
  void missingRequiredOptionIsNamed() {
    assertThatThrownBy(() -> parse().required("state"))
        .hasMessage("missing required option --state");
  }

  @Test
  void durationsParseAllUnits() {
    assertThat(Durations.parse("interval", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("interval", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("interval", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("interval", "2h")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void badDurationsAreRejectedWithTheAcceptedForms() {
    assertThatThrownBy(() -> Durations.parse("interval", "30"))
        .hasMessageContaining("'30' is not a duration (use e.g. 500ms, 30s, 5m, 1h)");
    assertThatThrownBy(() -> Durations.parse("interval", "0s"))
        .hasMessage("option --interval must be greater than zero");
  }
}
