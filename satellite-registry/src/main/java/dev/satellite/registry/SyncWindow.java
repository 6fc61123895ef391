package dev.satellite.registry;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daily period of local time in which blob bytes may be transferred, from {@code start}
 * (inclusive) to {@code end} (exclusive). A window whose end is not after its start crosses
 * midnight: {@code 22:00-06:00} is open from 22:00 to 06:00 the next morning. Which time zone
 * "local" means is up to the user ({@link LinkRules.Builder#zone}).
 */
public record SyncWindow(LocalTime start, LocalTime end) {
  private static final Pattern FORM = Pattern.compile("(\\d{1,2}:\\d{2})-(\\d{1,2}:\\d{2})");
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("H:mm");

  /** @throws IllegalArgumentException when start and end are the same time (empty or whole day?) */
  public SyncWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.equals(end)) {
      throw new IllegalArgumentException("sync window " + start + "-" + end + " starts when it"
          + " ends; give no window to transfer at any time");
    }
  }

  /**
   * Parses {@code HH:MM-HH:MM}, e.g. {@code 22:00-06:00}.
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static SyncWindow parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("sync window '" + text + "' is not of the form"
          + " HH:MM-HH:MM (e.g. 22:00-06:00)");
    }
    try {
      return new SyncWindow(LocalTime.parse(m.group(1), HH_MM), LocalTime.parse(m.group(2), HH_MM));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("sync window '" + text + "' names a time that does not"
          + " exist (hours 00-23, minutes 00-59)", e);
    }
  }

  /** Whether {@code time} of any day falls in this window. */
  public boolean contains(LocalTime time) {
    return start.isBefore(end)
        ? !time.isBefore(start) && time.isBefore(end)
        : !time.isBefore(start) || time.isBefore(end);
  }

  /** {@code HH:MM-HH:MM}, as parsed. */
  @Override
  public String toString() {
    return start + "-" + end;
  }
}
