package dev.satellite.core;

import java.util.List;
import java.util.Optional;

/**
 * What this satellite follows: the group state references and, optionally, its config state
 * reference.
 */
public record SatelliteState(List<String> groupRefs, Optional<String> configRef) {
  public SatelliteState {
    groupRefs = List.copyOf(groupRefs);
    configRef = configRef == null ? Optional.empty() : configRef;
  }
}
