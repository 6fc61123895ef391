package dev.satellite.cli;

import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's images, pushed with the harness's own client: {@code demo/app1:v1} ...
 * {@code demo/appN:v1}, each a shared base layer plus a layer of its own, all streamed from seeds.
 */
final class DemoImages {
  private static final long MIB = 1024L * 1024;

  private DemoImages() {}

  /** Pushes {@code count} images; returns {@code demo/appI:v1} to its manifest digest, in order. */
  static Map<String, String> push(
      DistributionRegistry registry, int count, int baseMib, int layerMib) {
    TestBlob base = TestBlob.random(0, baseMib * MIB);
    Map<String, String> pushed = new LinkedHashMap<>();
    for (int i = 1; i <= count; i++) {
      String repository = "demo/app" + i;
      String digest = registry.push(repository,
          TestImages.image(Format.OCI, i, base, TestBlob.random(1000 + i, layerMib * MIB)), "v1");
      pushed.put(repository + ":v1", digest);
    }
    return pushed;
  }
}
