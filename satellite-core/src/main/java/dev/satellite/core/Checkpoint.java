package dev.satellite.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the last work left in place at the edge: per group reference, the entities that are
 * actually there, and the digest of the config last handed to the application. Immutable.
 *
 * <p>A checkpoint never claims more than is in place: a group whose work has not finished is
 * recorded with the entities known to be present, not with its desired list.
 *
 * @param referrers per image in place ({@code repository@digest}), the mark its referrers were
 *     last copied with ({@link ReferrersResult#mark()}); an image without one has its referrers
 *     looked at in full next pass
 */
public record Checkpoint(
    Optional<String> configDigest, Map<String, List<Entity>> groups,
    Map<String, String> referrers) {

  public static final Checkpoint EMPTY = new Checkpoint(Optional.empty(), Map.of());

  public Checkpoint {
    configDigest = configDigest == null ? Optional.empty() : configDigest;
    configDigest.ifPresent(OciGrammar::requireDigest);
    Map<String, List<Entity>> copy = new LinkedHashMap<>();
    groups.forEach(
        (ref, entities) ->
            copy.put(Objects.requireNonNull(ref, "group ref"), List.copyOf(entities)));
    groups = Collections.unmodifiableMap(copy);
    referrers = Collections.unmodifiableMap(new TreeMap<>(referrers));
  }

  /** A checkpoint without referrer marks. */
  public Checkpoint(Optional<String> configDigest, Map<String, List<Entity>> groups) {
    this(configDigest, groups, Map.of());
  }

  /** The key of an image in {@link #referrers()}: {@code repository@digest}. */
  public static String imageKey(String repository, String digest) {
    return repository + "@" + digest;
  }

  /** A copy with the entities of {@code groupRef} replaced (or added). */
  public Checkpoint withGroup(String groupRef, List<Entity> entities) {
    Map<String, List<Entity>> copy = new LinkedHashMap<>(groups);
    copy.put(groupRef, entities);
    return new Checkpoint(configDigest, copy, referrers);
  }

  /** A copy without {@code groupRef}. */
  public Checkpoint withoutGroup(String groupRef) {
    Map<String, List<Entity>> copy = new LinkedHashMap<>(groups);
    copy.remove(groupRef);
    return new Checkpoint(configDigest, copy, referrers);
  }

  /** A copy with the config digest replaced. */
  public Checkpoint withConfigDigest(Optional<String> digest) {
    return new Checkpoint(digest, groups, referrers);
  }

  /** Number of entities over all groups. */
  public int entityCount() {
    return groups.values().stream().mapToInt(List::size).sum();
  }
}
