package dev.satellite.core.internal;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import dev.satellite.core.RejectedEntry;
import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.Operation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The diff of one group: its desired entities against what its checkpoint says is in place.
 *
 * <p>A desired entity recorded in place with the same digest is unchanged and not touched (the
 * checkpoint is trusted: that is how a restart transfers nothing). Every other desired entity is
 * copied. An invalid entry, or an entry whose tag is given another digest too, by this group
 * state or another ({@link TagConflicts}), fails on its own; its tag is <em>unsettled</em>:
 * whatever the edge holds under it stays until a valid entry arrives.
 */
public final class GroupPlan {
  private final String ref;
  private final String sourceRegistry;
  private final Set<Entity> desired;
  private final List<Entity> unchanged = new ArrayList<>();
  private final List<Entity> toCopy = new ArrayList<>();
  private final List<Failure> invalid = new ArrayList<>();
  private final Set<String> unsettledKeys = new HashSet<>();

  private GroupPlan(
      String ref, GroupState state, Collection<Entity> inPlace, TagConflicts conflicts) {
    this.ref = ref;
    this.sourceRegistry = state.sourceRegistry();
    Map<String, Entity> byKey = new LinkedHashMap<>();
    for (Entity entity : state.entities()) {
      byKey.putIfAbsent(entity.key(), entity);
    }
    for (Iterator<Entity> entities = byKey.values().iterator(); entities.hasNext(); ) {
      Entity entity = entities.next();
      Optional<String> conflict = conflicts.conflict(ref, entity);
      if (conflict.isPresent()) {
        entities.remove();
        unsettledKeys.add(entity.key());
        invalid.add(new Failure(
            ref, entity.repository(), entity.tag(), Operation.VALIDATE, conflict.get()));
      }
    }
    for (RejectedEntry rejected : state.rejected()) {
      invalid.add(new Failure(ref, rejected.repository(), rejected.tag(), Operation.VALIDATE,
          rejected.reason()));
      if (rejected.repository() != null && rejected.tag() != null) {
        unsettledKeys.add(rejected.repository() + ":" + rejected.tag());
      }
    }
    this.desired = new LinkedHashSet<>(byKey.values());
    Set<Entity> present = new HashSet<>(inPlace);
    for (Entity entity : desired) {
      (present.contains(entity) ? unchanged : toCopy).add(entity);
    }
  }

  /**
   * Diffs {@code state}, read for {@code ref}, against {@code inPlace}, the group's checkpoint;
   * entries whose tag has more than one digest in {@code conflicts} (made of the pass's states,
   * this one included) fail.
   */
  static GroupPlan of(
      String ref, GroupState state, Collection<Entity> inPlace, TagConflicts conflicts) {
    return new GroupPlan(ref, state, inPlace, conflicts);
  }

  public String ref() {
    return ref;
  }

  public String sourceRegistry() {
    return sourceRegistry;
  }

  /** Every valid desired entity, whether or not its copy succeeds. */
  public Set<Entity> desired() {
    return desired;
  }

  public List<Entity> unchanged() {
    return unchanged;
  }

  public List<Entity> toCopy() {
    return toCopy;
  }

  /** Failures of invalid or conflicting entries (within the group or with another group). */
  public List<Failure> invalid() {
    return invalid;
  }

  /** Keys ({@code repository:tag}) of invalid or conflicting entries. */
  public Set<String> unsettledKeys() {
    return unsettledKeys;
  }
}
