package dev.satellite.jdbc;

import dev.satellite.testing.ModuleBoundaries;
import org.junit.jupiter.api.Test;

class ModuleBoundariesTest {

  /** No use of another module's internal packages, no package cycle. */
  @Test
  void keepsToItsBoundaries() {
    ModuleBoundaries.of("dev.satellite.jdbc").check();
  }
}
