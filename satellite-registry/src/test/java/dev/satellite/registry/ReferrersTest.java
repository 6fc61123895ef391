package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReferrersTest {
  @Test
  void everyChoiceRechecksEveryFiveMinutesUnlessToldOtherwise() {
    assertThat(Referrers.ALL.recheckInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(Referrers.NONE.recheckInterval()).isEqualTo(Referrers.DEFAULT_RECHECK_INTERVAL);
    assertThat(Referrers.parse("application/spdx+json").recheckInterval())
        .isEqualTo(Referrers.DEFAULT_RECHECK_INTERVAL);
  }

  @Test
  void theIntervalIsPartOfTheValueAndKeepsTheChoice() {
    Referrers sboms = Referrers.ofTypes("application/spdx+json");
    Referrers everyPass = sboms.recheckInterval(Duration.ZERO);

    assertThat(everyPass.recheckInterval()).isZero();
    assertThat(everyPass.artifactTypes()).containsExactly("application/spdx+json");
    assertThat(everyPass).isNotEqualTo(sboms).hasToString("application/spdx+json");
    assertThat(everyPass).isEqualTo(Referrers.ofTypes("application/spdx+json")
        .recheckInterval(Duration.ZERO)).hasSameHashCodeAs(sboms.recheckInterval(Duration.ZERO));
    assertThat(Referrers.ALL.recheckInterval(Duration.ofMinutes(5))).isEqualTo(Referrers.ALL);
  }

  @Test
  void aNegativeIntervalIsRefused() {
    assertThatThrownBy(() -> Referrers.ALL.recheckInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("referrers recheck interval cannot be negative: PT-1S");
  }
}
