package dev.satellite.persistence;

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

/** Deterministic checkpoints for tests and the benchmark. */
final class TestCheckpoints {
  static final String GROUP_1 = "harbor.example.com/satellite/group-state/g1/state:latest";
  static final String GROUP_2 = "harbor.example.com/satellite/group-state/g2/state:latest";

  private TestCheckpoints() {}

  /** {@code sha256:} followed by the SHA-256 of {@code seed}: a valid, distinct digest per seed. */
  static String digest(String seed) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Two groups, three entities, a config digest. */
  static Checkpoint small() {
    Map<String, List<Entity>> groups = new LinkedHashMap<>();
    groups.put(
        GROUP_1,
        List.of(
            new Entity("library/nginx", "1.27", digest("nginx-1.27")),
            new Entity("library/nginx", "latest", digest("nginx-1.27"))));
    groups.put(GROUP_2, List.of(new Entity("project-a/app", "v2.0.1", digest("app-2.0.1"))));
    return new Checkpoint(Optional.of(digest("config")), groups);
  }

  /** {@code count} entities in groups of 1,000, each with its own digest. */
  static Checkpoint large(int count) {
    Map<String, List<Entity>> groups = new LinkedHashMap<>();
    List<Entity> group = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      group.add(
          new Entity("project-" + (i % 37) + "/service-" + (i % 1009), "v" + i, digest("e" + i)));
      if (group.size() == 1000 || i == count - 1) {
        groups.put("harbor.example.com/satellite/group-state/g" + groups.size() + "/state:latest",
            group);
        group = new ArrayList<>();
      }
    }
    return new Checkpoint(Optional.of(digest("config")), groups);
  }

  /** A checkpoint that differs per {@code id}: 1 to 40 entities, every third without config. */
  static Checkpoint numbered(long id) {
    List<Entity> entities = new ArrayList<>();
    for (int i = 0; i <= id % 40; i++) {
      entities.add(new Entity("crash/app-" + i, "t" + id, digest(id + "/" + i)));
    }
    Optional<String> config = id % 3 == 0 ? Optional.empty() : Optional.of(digest("c" + id));
    return new Checkpoint(config, Map.of(GROUP_1, entities));
  }
}
