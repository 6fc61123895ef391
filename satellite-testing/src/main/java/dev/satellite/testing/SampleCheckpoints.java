package dev.satellite.testing;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Deterministic checkpoints for {@link StateStoreContract} and store benchmarks: each exercises
 * every field a {@link Checkpoint} has (config digest, groups in order, entities in order,
 * referrer marks).
 */
public final class SampleCheckpoints {
  /** The group reference of {@link #large} group {@code i}. */
  public static final String GROUP_PREFIX = "harbor.example.com/satellite/group-state/g";

  private SampleCheckpoints() {}

  /** {@code sha256:} and the SHA-256 of {@code seed}: a valid digest, distinct per seed. */
  public static String sha256(String seed) {
    return "sha256:" + HexFormat.of().formatHex(hash("SHA-256", seed));
  }

  /** {@code sha512:} and the SHA-512 of {@code seed}. */
  public static String sha512(String seed) {
    return "sha512:" + HexFormat.of().formatHex(hash("SHA-512", seed));
  }

  /**
   * Every field at once: a config digest; three groups in an order that is not alphabetical, one
   * of them empty; entities in an order that is not sorted, two tags on one digest, nested
   * repository paths, the longest tag the grammar allows, a sha512 digest; referrer marks with
   * characters a mark may carry.
   */
  public static Checkpoint rich() {
    Map<String, List<Entity>> groups = new LinkedHashMap<>();
    groups.put(GROUP_PREFIX + "zeta/state:latest", List.of(
        new Entity("library/nginx", "latest", sha256("nginx-1.27")),
        new Entity("library/nginx", "1.27", sha256("nginx-1.27")),
        new Entity("team-a/sub.group/app_x", "v2.0.1-rc.1", sha512("app"))));
    groups.put("http://127.0.0.1:5000/satellite/group-state/empty/state:latest", List.of());
    groups.put(GROUP_PREFIX + "alpha/state:latest", List.of(
        new Entity("a", "T".repeat(128), sha256("long-tag")),
        new Entity("library/nginx", "1.27", sha256("nginx-1.27"))));
    Map<String, String> referrers = new TreeMap<>();
    referrers.put(Checkpoint.imageKey("library/nginx", sha256("nginx-1.27")),
        "v1;fingerprint=" + sha256("refs") + ";at=2026-12-01T10:15:30.123Z");
    referrers.put(Checkpoint.imageKey("team-a/sub.group/app_x", sha512("app")),
        "ünïcode mark with spaces, \"quotes\" and \\ backslash");
    return new Checkpoint(Optional.of(sha256("config")), groups, referrers);
  }

  /** One group, one entity, no config digest, no referrer marks. */
  public static Checkpoint minimal() {
    return new Checkpoint(Optional.empty(),
        Map.of(GROUP_PREFIX + "one/state:latest",
            List.of(new Entity("library/busybox", "1.36", sha256("busybox")))));
  }

  /**
   * {@code count} entities in groups of 1,000, each entity with its own digest, every tenth image
   * with a referrer mark; {@code seed} varies every digest, so two seeds give two checkpoints of
   * the same shape and no common entity.
   */
  public static Checkpoint large(int count, String seed) {
    Map<String, List<Entity>> groups = new LinkedHashMap<>();
    Map<String, String> referrers = new TreeMap<>();
    List<Entity> group = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Entity e = new Entity("project-" + (i % 37) + "/service-" + (i % 1009), "v" + i,
          sha256(seed + "/" + i));
      group.add(e);
      if (i % 10 == 0) {
        referrers.put(Checkpoint.imageKey(e.repository(), e.digest()), "mark-" + seed + "-" + i);
      }
      if (group.size() == 1000 || i == count - 1) {
        groups.put(GROUP_PREFIX + groups.size() + "/state:latest", group);
        group = new ArrayList<>();
      }
    }
    return new Checkpoint(Optional.of(sha256("config/" + seed)), groups, referrers);
  }

  private static byte[] hash(String algorithm, String seed) {
    try {
      return MessageDigest.getInstance(algorithm).digest(seed.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JVM", e);
    }
  }
}
