package dev.satellite.core;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The desired content of one group, as published upstream.
 *
 * @param ref the reference the group state was read from; it identifies the group
 * @param sourceRegistry base URL of the registry the images are pulled from
 * @param entities desired entities, one per tag
 * @param rejected artifact entries that broke the distribution grammar; each fails on its own
 * @param resolvedByTag the entities (each one of {@code entities}) published without a valid digest
 *     whose digest was looked up by tag at the source when the group state was read: they are copied
 *     by that digest like pinned ones, and reported as not pinned
 */
public record GroupState(
    String ref,
    String sourceRegistry,
    List<Entity> entities,
    List<RejectedEntry> rejected,
    List<Entity> resolvedByTag) {

  /** @throws IllegalArgumentException when an entity resolved by tag is not one of the entities */
  public GroupState {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(sourceRegistry, "sourceRegistry");
    entities = List.copyOf(entities);
    rejected = List.copyOf(rejected);
    resolvedByTag = List.copyOf(resolvedByTag);
    if (!resolvedByTag.isEmpty() && !new HashSet<>(entities).containsAll(resolvedByTag)) {
      throw new IllegalArgumentException(
          "group state " + ref + ": an entity resolved by tag is not among its entities");
    }
  }

  /** A group state whose every entity was pinned by digest. */
  public GroupState(
      String ref, String sourceRegistry, List<Entity> entities, List<RejectedEntry> rejected) {
    this(ref, sourceRegistry, entities, rejected, List.of());
  }

  public GroupState(String ref, String sourceRegistry, List<Entity> entities) {
    this(ref, sourceRegistry, entities, List.of(), List.of());
  }
}
