package dev.satellite.agent.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Intervals as Harbor Satellite writes them: {@code "@every <duration>"}, the duration in Go's
 * notation, a sequence of decimal numbers each with a unit ({@code h, m, s, ms, us, µs, ns}), such
 * as {@code 00h00m30s}, {@code 1m30s} or {@code 1.5h}. Ground Control writes {@code HHhMMmSSs}
 * and rejects intervals under one second; so does this class.
 */
public final class EveryInterval {
  private static final String PREFIX = "@every";
  private static final Duration MINIMUM = Duration.ofSeconds(1);

  private EveryInterval() {}

  /**
   * Reads {@code "@every <duration>"}.
   *
   * @throws IllegalArgumentException quoting the text and saying what is wrong with it: no {@code
   *     @every}, a malformed duration, or one under a second
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.strip();
    if (!trimmed.startsWith(PREFIX + " ")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an interval: expected \"@every <duration>\", e.g. @every 00h00m30s");
    }
    Duration duration = parseDuration(text, trimmed.substring(PREFIX.length()).strip());
    if (duration.compareTo(MINIMUM) < 0) {
      throw new IllegalArgumentException(
          "'" + text + "' is too short: an interval must be at least 1 second");
    }
    return duration;
  }

  /**
   * Writes {@code interval} as Ground Control does, {@code "@every HHhMMmSSs"} in whole seconds
   * (a fraction of a second is dropped; hours may exceed two digits).
   *
   * @throws IllegalArgumentException when {@code interval} is under one second
   */
  public static String format(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(MINIMUM) < 0) {
      throw new IllegalArgumentException(
          "an interval must be at least 1 second, got " + interval.toMillis() + " ms");
    }
    long seconds = interval.getSeconds();
    return String.format(Locale.ROOT, "@every %02dh%02dm%02ds",
        seconds / 3600, seconds / 60 % 60, seconds % 60);
  }

  /** Go's duration notation, without a sign (an interval cannot be negative). */
  private static Duration parseDuration(String text, String duration) {
    if (duration.isEmpty()) {
      throw malformed(text, "no duration after @every");
    }
    if (duration.equals("0")) {
      return Duration.ZERO;
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < duration.length()) {
      int start = i;
      while (i < duration.length()
          && (Character.isDigit(duration.charAt(i)) || duration.charAt(i) == '.')) {
        i++;
      }
      String number = duration.substring(start, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        throw malformed(text, "expected a number at '" + duration.substring(start) + "'");
      }
      int unitStart = i;
      while (i < duration.length()
          && !Character.isDigit(duration.charAt(i)) && duration.charAt(i) != '.') {
        i++;
      }
      long unit = unitNanos(text, duration.substring(unitStart, i));
      nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw malformed(text, "the duration is too long");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  private static long unitNanos(String text, String unit) {
    return switch (unit) {
      case "h" -> 3_600_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "s" -> 1_000_000_000L;
      case "ms" -> 1_000_000L;
      case "us", "µs", "μs" -> 1_000L;
      case "ns" -> 1L;
      case "" -> throw malformed(text, "a number lacks its unit (h, m, s, ms, us, ns)");
      default -> throw malformed(text, "unknown unit '" + unit + "' (h, m, s, ms, us, ns)");
    };
  }

  private static IllegalArgumentException malformed(String text, String why) {
    return new IllegalArgumentException("'" + text + "' is not a valid interval: " + why);
  }
}
