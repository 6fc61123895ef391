package dev.satellite.jdbc.internal;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads and writes one checkpoint's rows (tables {@code satellite_checkpoint}, {@code
 * _group}, {@code _entity}, {@code _referrer}) on a connection whose transaction the caller owns.
 *
 * <p>A write given the checkpoint its rows hold now (its <em>base</em>) changes only what differs:
 * groups gone are deleted (their entities with them), a group whose entity list changed has its
 * entity rows replaced, positions are updated, referrer marks gone or changed are deleted and the
 * new ones inserted. Without a base every row is written again. Rows go in with one statement per
 * group ({@code INSERT ... SELECT FROM unnest(arrays)}), whatever the driver's batching settings.
 */
public final class CheckpointTables {
  /** What a read found. */
  public sealed interface Read {}

  /** No checkpoint by that name. */
  public record Missing() implements Read {}

  /** A checkpoint whose rows pass every check. */
  public record Valid(StoredCheckpoint stored) implements Read {}

  /** Rows that do not make a trustworthy checkpoint, and why. */
  public record Damaged(String reason, long epoch) implements Read {}

  /** The checkpoint row's epoch and generation. */
  public record Head(long epoch, long generation) {}

  private CheckpointTables() {}

  /** Locks the checkpoint row of {@code name} until the transaction ends; empty when none. */
  public static Optional<Head> lockHead(Connection c, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT epoch, generation FROM satellite_checkpoint WHERE name = ? FOR UPDATE")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Head(r.getLong(1), r.getLong(2))) : Optional.empty();
      }
    }
  }

  /**
   * Writes {@code next} as generation {@code generation} by {@code epoch}.
   *
   * @param head the locked row, or empty when there is none yet
   * @param base what the rows hold now, or null when unknown (every row is then written again)
   */
  public static void write(Connection c, String name, Optional<Head> head, Checkpoint base,
      Checkpoint next, long epoch, long generation) throws SQLException {
    if (head.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO satellite_checkpoint (name, epoch,"
          + " generation, config_digest, sha256, saved_at) VALUES (?, ?, ?, ?, ?, now())")) {
        s.setString(1, name);
        s.setLong(2, epoch);
        s.setLong(3, generation);
        s.setString(4, next.configDigest().orElse(null));
        s.setString(5, CheckpointHash.of(next));
        s.executeUpdate();
      }
    } else {
      try (PreparedStatement s = c.prepareStatement("UPDATE satellite_checkpoint SET epoch = ?,"
          + " generation = ?, config_digest = ?, sha256 = ?, saved_at = now() WHERE name = ?")) {
        s.setLong(1, epoch);
        s.setLong(2, generation);
        s.setString(3, next.configDigest().orElse(null));
        s.setString(4, CheckpointHash.of(next));
        s.setString(5, name);
        s.executeUpdate();
      }
    }
    Checkpoint from = base;
    if (from == null) {
      if (head.isPresent()) {
        deleteAll(c, name);
      }
      from = Checkpoint.EMPTY;
    }
    writeGroups(c, name, from, next);
    writeReferrers(c, name, from.referrers(), next.referrers());
  }

  private static void deleteAll(Connection c, String name) throws SQLException {
    for (String table : List.of("satellite_checkpoint_group", "satellite_checkpoint_referrer")) {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE name = ?")) {
        s.setString(1, name);
        s.executeUpdate();
      }
    }
  }

  private static void writeGroups(Connection c, String name, Checkpoint from, Checkpoint next)
      throws SQLException {
    for (String ref : from.groups().keySet()) {
      if (!next.groups().containsKey(ref)) {
        deleteGroup(c, name, ref);
      }
    }
    List<String> oldOrder = List.copyOf(from.groups().keySet());
    int position = 0;
    for (Map.Entry<String, List<Entity>> group : next.groups().entrySet()) {
      String ref = group.getKey();
      List<Entity> before = from.groups().get(ref);
      if (before == null) {
        insertGroup(c, name, ref, position);
        insertEntities(c, name, ref, group.getValue());
      } else {
        if (oldOrder.indexOf(ref) != position) {
          moveGroup(c, name, ref, position);
        }
        if (!before.equals(group.getValue())) {
          deleteEntities(c, name, ref);
          insertEntities(c, name, ref, group.getValue());
        }
      }
      position++;
    }
  }

  private static void deleteGroup(Connection c, String name, String ref) throws SQLException {
    update(c, "DELETE FROM satellite_checkpoint_group WHERE name = ? AND ref = ?", name, ref);
  }

  private static void deleteEntities(Connection c, String name, String ref) throws SQLException {
    update(c, "DELETE FROM satellite_checkpoint_entity WHERE name = ? AND group_ref = ?", name,
        ref);
  }

  private static void insertGroup(Connection c, String name, String ref, int position)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO satellite_checkpoint_group (name, ref, position) VALUES (?, ?, ?)")) {
      s.setString(1, name);
      s.setString(2, ref);
      s.setInt(3, position);
      s.executeUpdate();
    }
  }

  private static void moveGroup(Connection c, String name, String ref, int position)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE satellite_checkpoint_group SET position = ? WHERE name = ? AND ref = ?")) {
      s.setInt(1, position);
      s.setString(2, name);
      s.setString(3, ref);
      s.executeUpdate();
    }
  }

  private static void insertEntities(Connection c, String name, String ref, List<Entity> entities)
      throws SQLException {
    if (entities.isEmpty()) {
      return;
    }
    int n = entities.size();
    Integer[] positions = new Integer[n];
    String[] repositories = new String[n];
    String[] tags = new String[n];
    String[] digests = new String[n];
    for (int i = 0; i < n; i++) {
      Entity e = entities.get(i);
      positions[i] = i;
      repositories[i] = e.repository();
      tags[i] = e.tag();
      digests[i] = e.digest();
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO satellite_checkpoint_entity"
        + " (name, group_ref, position, repository, tag, digest)"
        + " SELECT ?, ?, p, r, t, d FROM unnest(?::integer[], ?::text[], ?::text[], ?::text[])"
        + " AS u(p, r, t, d)")) {
      s.setString(1, name);
      s.setString(2, ref);
      s.setArray(3, array(c, "integer", positions));
      s.setArray(4, array(c, "text", repositories));
      s.setArray(5, array(c, "text", tags));
      s.setArray(6, array(c, "text", digests));
      s.executeUpdate();
    }
  }

  private static void writeReferrers(Connection c, String name, Map<String, String> from,
      Map<String, String> next) throws SQLException {
    List<String> gone = new ArrayList<>();
    from.forEach((image, mark) -> {
      if (!mark.equals(next.get(image))) {
        gone.add(image);
      }
    });
    if (!gone.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM satellite_checkpoint_referrer"
          + " WHERE name = ? AND image = ANY (?::text[])")) {
        s.setString(1, name);
        s.setArray(2, array(c, "text", gone.toArray(String[]::new)));
        s.executeUpdate();
      }
    }
    List<String> images = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    next.forEach((image, mark) -> {
      if (!mark.equals(from.get(image))) {
        images.add(image);
        marks.add(mark);
      }
    });
    if (!images.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO satellite_checkpoint_referrer"
          + " (name, image, mark) SELECT ?, i, m FROM unnest(?::text[], ?::text[]) AS u(i, m)")) {
        s.setString(1, name);
        s.setArray(2, array(c, "text", images.toArray(String[]::new)));
        s.setArray(3, array(c, "text", marks.toArray(String[]::new)));
        s.executeUpdate();
      }
    }
  }

  /**
   * Reads the checkpoint {@code name}; call in a repeatable-read transaction, so that the rows
   * are of one generation.
   */
  public static Read read(Connection c, String name) throws SQLException {
    long epoch;
    long generation;
    String configDigest;
    String sha256;
    try (PreparedStatement s = c.prepareStatement("SELECT epoch, generation, config_digest, sha256"
        + " FROM satellite_checkpoint WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return new Missing();
        }
        epoch = r.getLong(1);
        generation = r.getLong(2);
        configDigest = r.getString(3);
        sha256 = r.getString(4);
      }
    }
    Map<String, List<Entity>> groups = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT ref FROM satellite_checkpoint_group"
        + " WHERE name = ? ORDER BY position")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          groups.put(r.getString(1), new ArrayList<>());
        }
      }
    }
    Map<String, String> referrers = new TreeMap<>();
    try {
      try (PreparedStatement s = c.prepareStatement("SELECT group_ref, position, repository, tag,"
          + " digest FROM satellite_checkpoint_entity WHERE name = ? ORDER BY group_ref, position")) {
        s.setString(1, name);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            List<Entity> group = groups.get(r.getString(1));
            if (group == null || group.size() != r.getInt(2)) {
              return new Damaged("entity rows of group " + r.getString(1) + " are not numbered"
                  + " 0, 1, 2, ... (position " + r.getInt(2) + ")", epoch);
            }
            group.add(new Entity(r.getString(3), r.getString(4), r.getString(5)));
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "SELECT image, mark FROM satellite_checkpoint_referrer WHERE name = ?")) {
        s.setString(1, name);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            referrers.put(r.getString(1), r.getString(2));
          }
        }
      }
      Checkpoint checkpoint = new Checkpoint(Optional.ofNullable(configDigest), groups, referrers);
      String actual = CheckpointHash.of(checkpoint);
      if (!actual.equals(sha256)) {
        return new Damaged("checksum mismatch: the row says sha256 " + sha256
            + " but the content hashes to " + actual, epoch);
      }
      return new Valid(new StoredCheckpoint(checkpoint, epoch, generation));
    } catch (IllegalArgumentException invalid) {
      return new Damaged(invalid.getMessage(), epoch);
    }
  }

  /** Renames the checkpoint {@code name} (all its rows) to {@code keptAs}. */
  public static void rename(Connection c, String name, String keptAs) throws SQLException {
    update(c, "UPDATE satellite_checkpoint SET name = ? WHERE name = ?", keptAs, name);
  }

  private static void update(Connection c, String sql, String first, String second)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, Objects.requireNonNull(first));
      s.setString(2, Objects.requireNonNull(second));
      s.executeUpdate();
    }
  }

  private static Array array(Connection c, String type, Object[] values) throws SQLException {
    return c.createArrayOf(type, values);
  }
}
