package dev.satellite.core.internal;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tags that two groups of one pass desire at different digests. The edge has one manifest per
 * tag, so such a tag cannot hold both; copying both would leave it at whichever landed last, and
 * one group's checkpoint would record an image the tag no longer shows. Neither entry is copied
 * instead: the tag is unsettled in every group that names it, each reports the conflict, and the
 * edge keeps whatever it holds under the tag until the groups agree. Pure: reads the group states.
 *
 * <p>Two entries of one group that disagree are that group's own matter ({@link GroupPlan}); two
 * groups that desire a tag at the same digest share it ({@link PrunePlan}). Groups whose state
 * could not be read take no part: their entries are unknown this pass.
 */
final class TagConflicts {
  /** Per tag ({@code repository:tag}), per digest, the groups desiring it, in state order. */
  private final Map<String, Map<String, Set<String>>> groupsByDigest = new HashMap<>();

  private TagConflicts(Map<String, GroupState> states) {
    states.forEach((ref, state) -> {
      for (Entity entity : state.entities()) {
        groupsByDigest.computeIfAbsent(entity.key(), key -> new LinkedHashMap<>())
            .computeIfAbsent(entity.digest(), digest -> new LinkedHashSet<>())
            .add(ref);
      }
    });
  }

  /** The conflicts among {@code states}: group ref to its state, in the satellite state's order. */
  static TagConflicts of(Map<String, GroupState> states) {
    return new TagConflicts(states);
  }

  /**
   * Why group {@code ref} may not put {@code entity} in place: the other groups that desire its
   * tag at other digests, named with those digests; empty when no other group disagrees.
   */
  Optional<String> conflict(String ref, Entity entity) {
    Map<String, Set<String>> digests = groupsByDigest.getOrDefault(entity.key(), Map.of());
    StringBuilder others = new StringBuilder();
    digests.forEach((digest, groups) -> {
      if (digest.equals(entity.digest())) {
        return;
      }
      for (String group : groups) {
        if (!group.equals(ref)) {
          others.append(others.length() == 0 ? "" : ", ").append("at ").append(digest)
              .append(" by group ").append(group);
        }
      }
    });
    if (others.length() == 0) {
      return Optional.empty();
    }
    return Optional.of("tag " + entity.key() + " is desired at " + entity.digest() + " by group "
        + ref + " but " + others + "; the edge keeps what it holds under the tag until the"
        + " groups agree");
  }
}
