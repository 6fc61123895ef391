package dev.satellite.registry;

import dev.satellite.testing.ModuleBoundaries;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleBoundariesTest {

  /**
   * No use of another module's internal packages. The API package and its implementation use each
   * other (the client calls its endpoints, they take and return the API's values and exceptions),
   * as OkHttp's okhttp3 and okhttp3.internal do; no other cycle.
   */
  @Test
  void keepsToItsBoundaries() {
    ModuleBoundaries.of("dev.satellite.registry").check(Set.of(
        "dev.satellite.registry",
        "dev.satellite.registry.internal",
        "dev.satellite.registry.internal.auth",
        "dev.satellite.registry.internal.blob",
        "dev.satellite.registry.internal.copy",
        "dev.satellite.registry.internal.referrers",
        "dev.satellite.registry.internal.state",
        "dev.satellite.registry.internal.tls"));
  }
}
