package dev.satellite.registry.internal.referrers;

import dev.satellite.registry.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What a checkpoint records of an image's referrers as last looked at, so that a warm pass can
 * tell with probes alone whether they changed, or skip even those: the <em>fingerprint</em>
 * (sha256 over the sorted probe lines of every node), the time of the look (<em>checkedAt</em>,
 * whole seconds) and the <em>nodes</em> whose referrers were looked for (the image, the children
 * of an index, and the referrers above the last level). Text form: the fingerprint, the time,
 * then each node, separated by single spaces, e.g. {@code sha256:ab.. 2026-12-01T23:00:00Z
 * sha256:01.. sha256:9f..}. A mark without the time (written before rechecks were spaced) reads
 * as looked at long ago.
 */
record ReferrerMark(Digest fingerprint, Instant checkedAt, List<Digest> nodes) {

  ReferrerMark {
    checkedAt = checkedAt.truncatedTo(ChronoUnit.SECONDS);
    nodes = List.copyOf(nodes);
  }

  static ReferrerMark of(Collection<String> probes, Instant checkedAt, List<Digest> nodes) {
    return new ReferrerMark(fingerprint(probes), checkedAt, nodes);
  }

  /** The fingerprint of a set of probe lines (their order does not matter). */
  static Digest fingerprint(Collection<String> probes) {
    List<String> sorted = new ArrayList<>(probes);
    sorted.sort(null);
    return Digest.of(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether the look this mark records is younger than {@code interval} at {@code now}; never
   * for a zero interval, nor when the clock reads earlier than the look (it was set back).
   */
  boolean freshAt(Instant now, Duration interval) {
    return fresh(checkedAt, now, interval);
  }

  private static boolean fresh(Instant checkedAt, Instant now, Duration interval) {
    return !checkedAt.isAfter(now) && Duration.between(checkedAt, now).compareTo(interval) < 0;
  }

  /**
   * Whether the mark {@code text} records a look younger than {@code interval} at {@code now}, as
   * {@link #freshAt(Instant, Duration)} on its {@link #parse parsed} form, reading only the time:
   * the check every warm pass makes for every image. False when the text is not a mark.
   */
  static boolean freshAt(String text, Instant now, Duration interval) {
    int start = text.indexOf(' ') + 1;
    int end = text.indexOf(' ', start);
    if (start == 0 || end < 0 || text.charAt(end - 1) != 'Z') {
      return false;
    }
    try {
      return fresh(Instant.parse(text.substring(start, end)), now, interval);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** The same referrers, looked at again at {@code now}. */
  ReferrerMark checkedAt(Instant now) {
    return new ReferrerMark(fingerprint, now, nodes);
  }

  /** The mark in {@code text}; empty when it is not one (then the referrers are read again). */
  static Optional<ReferrerMark> parse(String text) {
    String[] parts = text.trim().split(" ");
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      Instant checkedAt = Instant.EPOCH;
      int first = 1;
      if (parts[1].endsWith("Z")) { // an instant; a digest's hex is lowercase
        checkedAt = Instant.parse(parts[1]);
        first = 2;
      }
      List<Digest> nodes = new ArrayList<>();
      for (int i = first; i < parts.length; i++) {
        nodes.add(Digest.parse(parts[i]));
      }
      if (nodes.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new ReferrerMark(Digest.parse(parts[0]), checkedAt, nodes));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  String text() {
    StringBuilder text = new StringBuilder(fingerprint.toString()).append(' ').append(checkedAt);
    nodes.forEach(node -> text.append(' ').append(node));
    return text.toString();
  }
}
