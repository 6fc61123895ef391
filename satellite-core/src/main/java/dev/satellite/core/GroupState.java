package dev.satellite.core;

import java.util.List;
import java.util.Objects;

/**
 * The desired content of one group, as published upstream.
 *
 * @param ref the reference the group state was read from; it identifies the group
 * @param sourceRegistry base URL of the registry the images are pulled from
 * @param entities desired entities, one per tag
 * @param rejected artifact entries that broke the distribution grammar; each fails on its own
 */
public record GroupState(
    String ref, String sourceRegistry, List<Entity> entities, List<RejectedEntry> rejected) {

  public GroupState {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(sourceRegistry, "sourceRegistry");
    entities = List.copyOf(entities);
    rejected = List.copyOf(rejected);
  }

  public GroupState(String ref, String sourceRegistry, List<Entity> entities) {
    this(ref, sourceRegistry, entities, List.of());
  }
}
