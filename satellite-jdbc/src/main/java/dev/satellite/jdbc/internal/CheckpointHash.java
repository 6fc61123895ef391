package dev.satellite.jdbc.internal;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The SHA-256 of a checkpoint's whole content, stored beside its rows and checked on every load,
 * so that a row changed, added or lost outside the store (a hand edit, a restore of part of a
 * backup) is caught, not served. Every value is written length-first, so no two checkpoints share
 * an encoding: config digest (or none), then each group in order with its entities in order, then
 * the referrer marks in key order.
 */
public final class CheckpointHash {
  private CheckpointHash() {}

  /** Lowercase hex SHA-256 of {@code checkpoint}'s content. */
  public static String of(Checkpoint checkpoint) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    put(sha, "satellite-checkpoint/1");
    put(sha, checkpoint.configDigest().orElse(""));
    put(sha, String.valueOf(checkpoint.groups().size()));
    for (Map.Entry<String, List<Entity>> group : checkpoint.groups().entrySet()) {
      put(sha, group.getKey());
      put(sha, String.valueOf(group.getValue().size()));
      for (Entity e : group.getValue()) {
        put(sha, e.repository());
        put(sha, e.tag());
        put(sha, e.digest());
      }
    }
    put(sha, String.valueOf(checkpoint.referrers().size()));
    checkpoint.referrers().forEach((image, mark) -> {
      put(sha, image);
      put(sha, mark);
    });
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void put(MessageDigest sha, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
    sha.update(bytes);
  }
}
