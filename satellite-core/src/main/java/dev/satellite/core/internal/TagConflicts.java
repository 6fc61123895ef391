package dev.satellite.core.internal;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tags given more than one digest in one pass, by one group state or by two groups. The edge has
 * one manifest per tag, so such a tag cannot hold both; copying both would leave it at whichever
 * landed last, and a checkpoint would record an image the tag no longer shows. No entry of such a
 * tag is copied instead: the tag is unsettled in every group that names it, each reports the
 * conflict, and the edge keeps whatever it holds under the tag until the states agree. Pure: reads
 * the group states.
 *
 * <p>Groups that desire a tag at the same digest share it ({@link PrunePlan}). Groups whose state
 * could not be read take no part: their entries are unknown this pass.
 */
final class TagConflicts {
  /**
   * Per tag ({@code repository:tag}) desired at more than one digest, per digest, the groups
   * desiring it, in state order.
   */
  private final Map<String, Map<String, Set<String>>> groupsByDigest = new HashMap<>();

  private TagConflicts(Map<String, GroupState> states) {
    // almost every tag has one digest: find the few that do not before recording who wants what
    Map<String, String> firstDigest = new HashMap<>();
    Set<String> contested = new HashSet<>();
    for (GroupState state : states.values()) {
      for (Entity entity : state.entities()) {
        String key = entity.key();
        String earlier = firstDigest.putIfAbsent(key, entity.digest());
        if (earlier != null && !earlier.equals(entity.digest())) {
          contested.add(key);
        }
      }
    }
    if (contested.isEmpty()) {
      return;
    }
    states.forEach((ref, state) -> {
      for (Entity entity : state.entities()) {
        if (contested.contains(entity.key())) {
          groupsByDigest.computeIfAbsent(entity.key(), key -> new LinkedHashMap<>())
              .computeIfAbsent(entity.digest(), digest -> new LinkedHashSet<>())
              .add(ref);
        }
      }
    });
  }

  /** The conflicts among {@code states}: group ref to its state, in the satellite state's order. */
  static TagConflicts of(Map<String, GroupState> states) {
    return new TagConflicts(states);
  }

  /**
   * Why group {@code ref} may not put {@code entity} in place: its own state gives the tag another
   * digest too, or other groups desire it at other digests (named, with those digests); empty when
   * every entry of the tag in the pass agrees. {@code ref}'s state must be among those this was
   * made of.
   */
  Optional<String> conflict(String ref, Entity entity) {
    Map<String, Set<String>> digests = groupsByDigest.getOrDefault(entity.key(), Map.of());
    if (digests.size() < 2) {
      return Optional.empty();
    }
    List<String> others = new ArrayList<>();
    for (Map.Entry<String, Set<String>> byDigest : digests.entrySet()) {
      if (byDigest.getKey().equals(entity.digest())) {
        continue;
      }
      if (byDigest.getValue().contains(ref)) {
        return Optional.of("the group state gives tag " + entity.key() + " more than one digest");
      }
      for (String group : byDigest.getValue()) {
        others.add("at " + byDigest.getKey() + " by group " + group);
      }
    }
    return Optional.of("tag " + entity.key() + " is desired at " + entity.digest() + " by group "
        + ref + " but " + String.join(", ", others) + "; the edge keeps what it holds under the"
        + " tag until the groups agree");
  }
}
