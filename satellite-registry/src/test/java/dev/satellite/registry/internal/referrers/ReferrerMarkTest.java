package dev.satellite.registry.internal.referrers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.registry.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferrerMarkTest {
  private static final Digest IMAGE = Digest.of("image".getBytes(StandardCharsets.UTF_8));
  private static final Digest CHILD = Digest.of("child".getBytes(StandardCharsets.UTF_8));
  private static final Instant LOOKED = Instant.parse("2026-12-01T10:00:00.750Z");

  @Test
  void textRoundTripsWithTheTimeOfTheLookInWholeSeconds() {
    ReferrerMark mark = ReferrerMark.of(List.of("tag b", "tag a"), LOOKED, List.of(IMAGE, CHILD));

    assertThat(mark.text()).isEqualTo(mark.fingerprint() + " 2026-12-01T10:00:00Z " + IMAGE + " "
        + CHILD);
    assertThat(ReferrerMark.parse(mark.text())).contains(mark);
    assertThat(mark.fingerprint())
        .isEqualTo(ReferrerMark.fingerprint(List.of("tag a", "tag b")));
  }

  @Test
  void aMarkWithoutTheTimeReadsAsLookedAtLongAgo() {
    Digest fingerprint = ReferrerMark.fingerprint(List.of("tag x"));

    ReferrerMark old = ReferrerMark.parse(fingerprint + " " + IMAGE).orElseThrow();

    assertThat(old.nodes()).containsExactly(IMAGE);
    assertThat(old.checkedAt()).isEqualTo(Instant.EPOCH);
    assertThat(old.freshAt(LOOKED, Duration.ofDays(365))).isFalse();
  }

  @Test
  void freshOnlyWhileYoungerThanTheIntervalAndNeverWhenTheClockWentBack() {
    ReferrerMark mark = ReferrerMark.of(List.of(), LOOKED, List.of(IMAGE));
    Instant seen = Instant.parse("2026-12-01T10:00:00Z");
    Duration interval = Duration.ofMinutes(5);

    assertThat(mark.freshAt(seen, interval)).isTrue();
    assertThat(mark.freshAt(seen.plus(interval).minusMillis(1), interval)).isTrue();
    assertThat(mark.freshAt(seen.plus(interval), interval)).isFalse();
    assertThat(mark.freshAt(seen.minusSeconds(1), interval)).isFalse();
    assertThat(mark.freshAt(seen, Duration.ZERO)).isFalse();
    assertThat(mark.checkedAt(seen.plus(interval)).freshAt(seen.plus(interval), interval))
        .isTrue();
  }

  @Test
  void theTextAloneTellsFreshnessAsTheParsedMarkDoes() {
    String text = ReferrerMark.of(List.of(), LOOKED, List.of(IMAGE)).text();
    Instant seen = Instant.parse("2026-12-01T10:00:00Z");
    Duration interval = Duration.ofMinutes(5);

    for (Instant now : List.of(seen, seen.plus(interval).minusMillis(1), seen.plus(interval),
        seen.minusSeconds(1))) {
      for (Duration each : List.of(interval, Duration.ZERO)) {
        assertThat(ReferrerMark.freshAt(text, now, each)).as(now + " " + each)
            .isEqualTo(ReferrerMark.parse(text).orElseThrow().freshAt(now, each));
      }
    }
    String old = ReferrerMark.fingerprint(List.of()) + " " + IMAGE;
    assertThat(ReferrerMark.freshAt(old, seen, interval)).isFalse();
    assertThat(ReferrerMark.freshAt("", seen, interval)).isFalse();
    assertThat(ReferrerMark.freshAt("x yesterdayZ y", seen, interval)).isFalse();
  }

  @Test
  void anythingElseIsNotAMark() {
    Digest fingerprint = ReferrerMark.fingerprint(List.of());
    assertThat(ReferrerMark.parse("")).isEmpty();
    assertThat(ReferrerMark.parse(fingerprint.toString())).isEmpty();
    assertThat(ReferrerMark.parse(fingerprint + " 2026-12-01T10:00:00Z")).isEmpty();
    assertThat(ReferrerMark.parse(fingerprint + " yesterdayZ " + IMAGE)).isEmpty();
    assertThat(ReferrerMark.parse(fingerprint + " 2026-12-01T10:00:00Z sha256:zz")).isEmpty();
    assertThat(ReferrerMark.parse("md5:00 " + IMAGE)).isEmpty();
  }
}
