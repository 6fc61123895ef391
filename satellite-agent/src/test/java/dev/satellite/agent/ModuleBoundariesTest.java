package dev.satellite.agent;

import dev.satellite.testing.ModuleBoundaries;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleBoundariesTest {

  /**
   * No use of another module's internal packages. Each API package and its own implementation
   * package use each other; no cycle runs through {@code dev.satellite.agent.internal}, which uses
   * the other packages and is used by none.
   */
  @Test
  void keepsToItsBoundaries() {
    ModuleBoundaries.of("dev.satellite.agent").check(
        Set.of("dev.satellite.agent.groundcontrol", "dev.satellite.agent.groundcontrol.internal"),
        Set.of("dev.satellite.agent.metrics", "dev.satellite.agent.metrics.internal"),
        Set.of("dev.satellite.agent.runtime", "dev.satellite.agent.runtime.internal"));
  }
}
