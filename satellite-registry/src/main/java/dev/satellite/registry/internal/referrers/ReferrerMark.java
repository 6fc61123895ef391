package dev.satellite.registry.internal.referrers;

import dev.satellite.registry.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What a checkpoint records of an image's referrers as last copied, so that a warm pass can tell
 * with probes alone whether they changed: the <em>fingerprint</em> (sha256 over the sorted probe
 * lines of every node) and the <em>nodes</em> whose referrers were looked for (the image, the
 * children of an index, and the referrers above the last level). Text form: the fingerprint, then
 * each node, separated by single spaces, e.g. {@code sha256:ab.. sha256:01.. sha256:9f..}.
 */
record ReferrerMark(Digest fingerprint, List<Digest> nodes) {

  ReferrerMark {
    nodes = List.copyOf(nodes);
  }

  static ReferrerMark of(Collection<String> probes, List<Digest> nodes) {
    return new ReferrerMark(fingerprint(probes), nodes);
  }

  /** The fingerprint of a set of probe lines (their order does not matter). */
  static Digest fingerprint(Collection<String> probes) {
    List<String> sorted = new ArrayList<>(probes);
    sorted.sort(null);
    return Digest.of(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8));
  }

  /** The mark in {@code text}; empty when it is not one (then the referrers are read again). */
  static Optional<ReferrerMark> parse(String text) {
    String[] parts = text.trim().split(" ");
    if (parts.length < 2) {
      return Optional.empty();
    }
    try {
      List<Digest> nodes = new ArrayList<>();
      for (int i = 1; i < parts.length; i++) {
        nodes.add(Digest.parse(parts[i]));
      }
      return Optional.of(new ReferrerMark(Digest.parse(parts[0]), nodes));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  String text() {
    StringBuilder text = new StringBuilder(fingerprint.toString());
    nodes.forEach(node -> text.append(' ').append(node));
    return text.toString();
  }
}
