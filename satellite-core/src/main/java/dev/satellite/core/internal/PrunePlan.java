package dev.satellite.core.internal;

import dev.satellite.core.Entity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, once every group's copies are done, which recorded entities are no longer desired and
 * how each may leave the edge. Pure: reads the in-place entities and the group plans, touches
 * nothing.
 *
 * <p>Each recorded entity of each group is either:
 *
 * <ul>
 *   <li><b>kept</b>: desired by its group; or its tag is unsettled (an invalid or conflicting entry
 *       names it, or a group whose state could not be read records it); or its tag is desired at
 *       another digest that did not land yet, so the tag still points here;
 *   <li><b>dropped</b>: desired with this digest by another group, which owns it from now on;
 *   <li><b>moved</b>: its tag is desired at another digest that is now in place; only the old
 *       manifest may go, never the tag;
 *   <li><b>removed</b>: its tag is desired by no group.
 * </ul>
 *
 * <p>A manifest ({@code repository@digest}) is <em>protected</em> while any desired entity of any
 * group (whether or not its copy succeeded) or any kept entity points at it. A moved or removed
 * entity deletes its manifest only when it is not protected; otherwise a removed entity deletes
 * its tag alone, and a moved one is simply forgotten (its tag already points elsewhere).
 */
public final class PrunePlan {
  /** Why an entity is a prune candidate. */
  public enum Kind {
    /** Its tag is desired at another digest, now in place. */
    MOVED,
    /** Its tag is desired by no group. */
    REMOVED,
    /** Another group desires it with the same digest. */
    OWNED_ELSEWHERE
  }

  /** An entity of {@code group} that may leave the edge. */
  public record Candidate(String group, Entity entity, Kind kind) {}

  /** A manifest in a repository, {@code repository@digest}. */
  record Manifest(String repository, String digest) {
    @Override
    public String toString() {
      return repository + "@" + digest;
    }
  }

  private final List<Candidate> candidates = new ArrayList<>();
  private final List<Candidate> drops = new ArrayList<>();
  private final Set<Manifest> protectedManifests = new HashSet<>();

  private PrunePlan(
      Map<String, List<Entity>> inPlace, Map<String, GroupPlan> plans, Set<String> unreadGroups) {
    Map<String, Set<String>> desiredDigests = new HashMap<>();
    Set<String> unsettledKeys = new HashSet<>();
    Set<Entity> inPlaceEntities = new HashSet<>();
    for (GroupPlan plan : plans.values()) {
      unsettledKeys.addAll(plan.unsettledKeys());
      for (Entity entity : plan.desired()) {
        // one digest per tag but for the rare tag two groups disagree on
        desiredDigests.merge(entity.key(), Set.of(entity.digest()), PrunePlan::union);
        protectedManifests.add(manifest(entity));
      }
    }
    inPlace.forEach((group, entities) -> {
      inPlaceEntities.addAll(entities);
      if (unreadGroups.contains(group)) {
        entities.forEach(entity -> unsettledKeys.add(entity.key()));
      }
    });
    inPlace.forEach((group, entities) -> {
      GroupPlan plan = plans.get(group);
      for (Entity entity : entities) {
        Set<String> wanted = desiredDigests.getOrDefault(entity.key(), Set.of());
        if ((plan != null && plan.desired().contains(entity))
            || unsettledKeys.contains(entity.key())) {
          protectedManifests.add(manifest(entity));
        } else if (wanted.contains(entity.digest())) {
          drops.add(new Candidate(group, entity, Kind.OWNED_ELSEWHERE));
        } else if (wanted.isEmpty()) {
          candidates.add(new Candidate(group, entity, Kind.REMOVED));
        } else if (wanted.stream().anyMatch(digest -> inPlaceEntities.contains(
            new Entity(entity.repository(), entity.tag(), digest)))) {
          candidates.add(new Candidate(group, entity, Kind.MOVED));
        } else {
          protectedManifests.add(manifest(entity));
        }
      }
    });
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> both = new HashSet<>(a);
    both.addAll(b);
    return both;
  }

  /**
   * @param inPlace per group, the entities recorded in place after the copies
   * @param plans the plans of the groups whose state was read this pass
   * @param unreadGroups groups of the satellite state whose state could not be read
   */
  public static PrunePlan of(
      Map<String, List<Entity>> inPlace, Map<String, GroupPlan> plans, Set<String> unreadGroups) {
    return new PrunePlan(inPlace, plans, unreadGroups);
  }

  /** Moved and removed entities, in checkpoint order. */
  public List<Candidate> candidates() {
    return candidates;
  }

  /** Entities another group desires with the same digest: forgotten by their group, not touched. */
  public List<Candidate> drops() {
    return drops;
  }

  public boolean isProtected(Entity entity) {
    return protectedManifests.contains(manifest(entity));
  }

  static Manifest manifest(Entity entity) {
    return new Manifest(entity.repository(), entity.digest());
  }
}
