package dev.satellite.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.registry.SyncWindow;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LinkFlagsTest {

  private static LinkFlags.Link parse(String... args) {
    LinkFlags flags = new LinkFlags();
    new CommandLine(flags).parseArgs(args);
    return flags.options();
  }

  @Test
  void readsRatesSizesWindowsAndAZone() {
    LinkFlags.Link link = parse("--max-bandwidth", "2MiB/s", "--sync-window", "22:00-06:00",
        "--sync-window", "12:00-13:00", "--sync-window-zone", "Europe/Berlin",
        "--max-bytes-per-pass", "5GiB");

    assertThat(link.maxBandwidth()).hasValue(2L << 20);
    assertThat(link.windows()).containsExactly(SyncWindow.parse("22:00-06:00"),
        SyncWindow.parse("12:00-13:00"));
    assertThat(link.zone()).contains(ZoneId.of("Europe/Berlin"));
    assertThat(link.maxBytesPerPass()).hasValue(5L << 30);
    assertThat(parse("--max-bandwidth", "500KiB/s").maxBandwidth()).hasValue(500L << 10);
    assertThat(parse("--max-bandwidth", "2500000").maxBandwidth()).hasValue(2_500_000);
  }

  @Test
  void nothingGivenMeansNoRules() {
    LinkFlags.Link link = parse();

    assertThat(link.maxBandwidth()).isEmpty();
    assertThat(link.windows()).isEmpty();
    assertThat(link.maxBytesPerPass()).isEmpty();
  }

  @Test
  void badValuesNameTheOptionAndTheValue() {
    assertThatThrownBy(() -> parse("--max-bandwidth", "20Mbit/s"))
        .isInstanceOf(UsageException.class)
        .hasMessage("option --max-bandwidth: '20Mbit/s' is not N, NKiB/s, NMiB/s or NGiB/s");
    assertThatThrownBy(() -> parse("--max-bandwidth", "0"))
        .hasMessageContaining("'0' is out of range");
    assertThatThrownBy(() -> parse("--sync-window", "22-6"))
        .hasMessageStartingWith("option --sync-window: sync window '22-6' is not of the form");
    assertThatThrownBy(() -> parse("--sync-window", "22:00-06:00", "--sync-window-zone", "Mars"))
        .hasMessageContaining("'Mars' is not a time zone");
    assertThatThrownBy(() -> parse("--sync-window-zone", "UTC"))
        .hasMessage("option --sync-window-zone needs at least one --sync-window");
    assertThatThrownBy(() -> parse("--max-bytes-per-pass", "99999999999GiB"))
        .hasMessageContaining("out of range");
  }
}
