package dev.satellite.cli.support;

import dev.satellite.agent.Satellite;
import dev.satellite.registry.SyncWindow;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The options for a slow or metered link ({@code --max-bandwidth}, {@code --sync-window}, {@code
 * --sync-window-zone}, {@code --max-bytes-per-pass}), a picocli mixin of {@link SyncFlags}. {@link
 * #options} checks them; {@link Link#applyTo} sets them on a satellite's builder.
 */
public final class LinkFlags {
  private static final Pattern RATE =
      Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?(/s)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?",
      Pattern.CASE_INSENSITIVE);

  @Option(names = "--max-bandwidth", paramLabel = "<N>[KiB|MiB]/s", order = 36,
      description = "cap on the blob bytes read from the upstream, all copies together, "
          + "e.g. 2MiB/s (default: none)")
  String maxBandwidth;

  @Option(names = "--sync-window", paramLabel = "<HH:MM-HH:MM>", order = 37,
      description = "transfer blobs only in this daily window, e.g. 22:00-06:00 (crosses "
          + "midnight); repeat for several (default: any time)")
  List<String> syncWindows = new ArrayList<>();

  @Option(names = "--sync-window-zone", paramLabel = "<zone>", order = 38,
      description = "time zone of the sync windows, e.g. Europe/Berlin or UTC (default: the "
          + "system's)")
  String syncWindowZone;

  @Option(names = "--max-bytes-per-pass", paramLabel = "<N>[KiB|MiB|GiB]", order = 39,
      description = "blob bytes one pass may read from the upstream; images that do not fit wait "
          + "for the next pass (default: no limit)")
  String maxBytesPerPass;

  /**
   * The link settings given, checked.
   *
   * @throws UsageException naming the option and what is wrong with its value
   */
  public Link options() {
    List<SyncWindow> windows = new ArrayList<>();
    for (String window : syncWindows) {
      try {
        windows.add(SyncWindow.parse(window));
      } catch (IllegalArgumentException e) {
        throw new UsageException("option --sync-window: " + e.getMessage());
      }
    }
    Optional<ZoneId> zone = Optional.ofNullable(syncWindowZone).map(LinkFlags::zone);
    if (zone.isPresent() && windows.isEmpty()) {
      throw new UsageException("option --sync-window-zone needs at least one --sync-window");
    }
    return new Link(bytes("--max-bandwidth", maxBandwidth, RATE), windows, zone,
        bytes("--max-bytes-per-pass", maxBytesPerPass, SIZE));
  }

  /** The checked link settings; {@link #applyTo} sets those given on a satellite's builder. */
  public record Link(
      OptionalLong maxBandwidth, List<SyncWindow> windows, Optional<ZoneId> zone,
      OptionalLong maxBytesPerPass) {
    public Link {
      windows = List.copyOf(windows);
    }

    public void applyTo(Satellite.Builder builder) {
      maxBandwidth.ifPresent(builder::maxBandwidth);
      if (!windows.isEmpty()) {
        builder.syncWindows(windows);
      }
      zone.ifPresent(builder::syncWindowZone);
      maxBytesPerPass.ifPresent(builder::maxBytesPerPass);
    }
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new UsageException("option --sync-window-zone: '" + text + "' is not a time zone"
          + " (e.g. Europe/Berlin, UTC, +02:00)");
    }
  }

  /** {@code 2MiB/s}, {@code 500KiB}, {@code 1000000}: a whole number of bytes, at least 1. */
  private static OptionalLong bytes(String option, String text, Pattern form) {
    if (text == null) {
      return OptionalLong.empty();
    }
    Matcher m = form.matcher(text.strip());
    String units = form == RATE ? "N, NKiB/s, NMiB/s or NGiB/s" : "N, NKiB, NMiB or NGiB";
    if (!m.matches()) {
      throw new UsageException("option " + option + ": '" + text + "' is not " + units);
    }
    int shift = switch (m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT)) {
      case "kib" -> 10;
      case "mib" -> 20;
      case "gib" -> 30;
      default -> 0;
    };
    long value;
    try {
      value = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 1 || value > (Long.MAX_VALUE >> shift)) {
      throw new UsageException("option " + option + ": '" + text + "' is out of range (at least"
          + " 1 byte" + (form == RATE ? "/s" : "") + ")");
    }
    return OptionalLong.of(value << shift);
  }
}
