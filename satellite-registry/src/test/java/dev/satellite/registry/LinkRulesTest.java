package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.TransferDeferredException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkRulesTest {
  private static final Descriptor BLOB = new Descriptor("application/octet-stream",
      Digest.parse("sha256:" + "a".repeat(64)), 3_000_000, java.util.Optional.empty());

  @Test
  void parsesAWindowAndTellsWhetherATimeIsInIt() {
    SyncWindow day = SyncWindow.parse("09:30-17:00");

    assertThat(day.start()).isEqualTo(LocalTime.of(9, 30));
    assertThat(day.contains(LocalTime.of(9, 30))).isTrue();
    assertThat(day.contains(LocalTime.of(16, 59))).isTrue();
    assertThat(day.contains(LocalTime.of(17, 0))).isFalse();
    assertThat(day.contains(LocalTime.of(3, 0))).isFalse();
    assertThat(day).hasToString("09:30-17:00");
  }

  @Test
  void aWindowWhoseEndIsBeforeItsStartCrossesMidnight() {
    SyncWindow night = SyncWindow.parse("22:00-6:00");

    assertThat(night.contains(LocalTime.of(23, 59))).isTrue();
    assertThat(night.contains(LocalTime.MIDNIGHT)).isTrue();
    assertThat(night.contains(LocalTime.of(5, 59))).isTrue();
    assertThat(night.contains(LocalTime.of(6, 0))).isFalse();
    assertThat(night.contains(LocalTime.NOON)).isFalse();
  }

  @Test
  void badWindowsAreRefusedNamingTheText() {
    assertThatThrownBy(() -> SyncWindow.parse("22-06")).hasMessageContaining("'22-06'")
        .hasMessageContaining("HH:MM-HH:MM");
    assertThatThrownBy(() -> SyncWindow.parse("25:00-06:00")).hasMessageContaining("'25:00-06:00'")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> SyncWindow.parse("06:00-06:00")).hasMessageContaining("starts when it ends");
  }

  @Test
  void windowsAreReadInTheirZone() {
    Instant at = Instant.parse("2026-12-01T21:30:00Z"); // 22:30 in Berlin
    LinkRules berlin = rules(at, ZoneId.of("Europe/Berlin"), "22:00-06:00");
    LinkRules utc = rules(at, ZoneOffset.UTC, "22:00-06:00");

    assertThat(berlin.windowOpen()).isTrue();
    assertThat(utc.windowOpen()).isFalse();
    assertThat(utc.nextOpening()).contains(Instant.parse("2026-12-01T22:00:00Z"));
    assertThat(berlin.nextOpening()).isEmpty();
  }

  @Test
  void theNextOpeningIsTheEarliestOfSeveralWindowsTomorrowIfNeeded() {
    LinkRules rules = rules(Instant.parse("2026-12-01T20:00:00Z"), ZoneOffset.UTC,
        "01:00-02:00", "12:00-13:00");

    assertThat(rules.nextOpening()).contains(Instant.parse("2026-12-02T01:00:00Z"));
  }

  @Test
  void outsideEveryWindowABlobIsDeferredSayingWhenTheNextOpens() {
    LinkRules rules = rules(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC,
        "22:00-06:00");

    assertThatThrownBy(() -> rules.beforeBlob(BLOB))
        .isInstanceOf(TransferDeferredException.class)
        .hasMessage("outside the sync windows (22:00-06:00 Z); left for the next window, which"
            + " opens at 2026-12-01T22:00");
    assertThatThrownBy(() -> rules.afterChunk(BLOB, 1_000_000))
        .hasMessageContaining("stopped at a chunk boundary, 1000000 of 3000000 bytes uploaded");
  }

  @Test
  void withoutWindowsTheLinkIsAlwaysOpen() {
    LinkRules rules = LinkRules.builder().build();

    rules.beforeBlob(BLOB);
    rules.afterChunk(BLOB, 1);

    assertThat(rules.windowOpen()).isTrue();
    assertThat(rules.nextOpening()).isEmpty();
  }

  @Test
  void theBudgetAdmitsWhatFitsAndIsWholeAgainNextPass() {
    LinkRules rules = LinkRules.builder().maxBytesPerPass(7_000_000).build();

    rules.beforeBlob(BLOB);
    rules.beforeBlob(BLOB);
    assertThatThrownBy(() -> rules.beforeBlob(BLOB))
        .isInstanceOf(TransferDeferredException.class)
        .hasMessageContaining("6000000 of 7000000 bytes taken")
        .hasMessageContaining("needs 3000000");
    assertThat(rules.admittedThisPass()).isEqualTo(6_000_000);

    rules.startPass();
    rules.beforeBlob(BLOB);
    assertThat(rules.admittedThisPass()).isEqualTo(3_000_000);
  }

  @Test
  void aBlobLargerThanTheWholeBudgetSaysSo() {
    LinkRules rules = LinkRules.builder().maxBytesPerPass(1_000_000).build();

    assertThatThrownBy(() -> rules.beforeBlob(BLOB))
        .hasMessageContaining("larger than the whole byte budget of a pass (1000000 bytes)")
        .hasMessageContaining("raise maxBytesPerPass");
  }

  private static LinkRules rules(Instant now, ZoneId zone, String... windows) {
    return LinkRules.builder()
        .windows(List.of(windows).stream().map(SyncWindow::parse).toList())
        .zone(zone)
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .build();
  }
}
