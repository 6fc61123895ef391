package dev.satellite.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The statements of the leader lease (table {@code satellite_lease}). Every time comparison is
 * made with the database's clock ({@code clock_timestamp()}), so the agents' clocks need not agree.
 */
public final class LeaseTable {
  /** Who holds a lease, with which epoch. */
  public record Holder(String holder, long epoch) {}

  private LeaseTable() {}

  /**
   * Takes the lease {@code name} for {@code holder} when nobody holds it or it has expired, with
   * the next epoch: one above the lease's last epoch and above the epoch of the checkpoint's last
   * writer (so a lease row deleted by hand cannot hand out an epoch the fence would accept twice).
   *
   * @return the epoch, or empty when another holder's lease has not expired
   */
  public static OptionalLong acquire(Connection c, String name, String holder, Duration ttl)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO satellite_lease AS l (name, holder, epoch, acquired_at, expires_at)"
            + " VALUES (?, ?, COALESCE((SELECT epoch FROM satellite_checkpoint WHERE name = ?), 0)"
            + " + 1, clock_timestamp(), clock_timestamp() + make_interval(secs => ?))"
            + " ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder,"
            + " epoch = GREATEST(l.epoch + 1, EXCLUDED.epoch), acquired_at = EXCLUDED.acquired_at,"
            + " expires_at = EXCLUDED.expires_at WHERE l.expires_at <= clock_timestamp()"
            + " RETURNING epoch")) {
      s.setString(1, name);
      s.setString(2, holder);
      s.setString(3, name);
      s.setDouble(4, seconds(ttl));
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /**
   * Extends the lease by {@code ttl} from now, if {@code holder} still holds it with {@code
   * epoch} (even when it expired meanwhile: nobody took it, so nothing was lost).
   *
   * @return false when another holder took it
   */
  public static boolean renew(Connection c, String name, String holder, long epoch, Duration ttl)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE satellite_lease"
        + " SET expires_at = clock_timestamp() + make_interval(secs => ?)"
        + " WHERE name = ? AND holder = ? AND epoch = ?")) {
      s.setDouble(1, seconds(ttl));
      s.setString(2, name);
      s.setString(3, holder);
      s.setLong(4, epoch);
      return s.executeUpdate() == 1;
    }
  }

  /** Makes the lease expire now, if {@code holder} holds it with {@code epoch}. */
  public static void release(Connection c, String name, String holder, long epoch)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE satellite_lease"
        + " SET expires_at = clock_timestamp() WHERE name = ? AND holder = ? AND epoch = ?")) {
      s.setString(1, name);
      s.setString(2, holder);
      s.setLong(3, epoch);
      s.executeUpdate();
    }
  }

  /**
   * The current holder of {@code name}; with {@code lock}, the row is share-locked until the
   * transaction ends, so that no takeover can commit in between (a save's fence check).
   */
  public static Optional<Holder> holder(Connection c, String name, boolean lock)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT holder, epoch FROM satellite_lease"
        + " WHERE name = ?" + (lock ? " FOR SHARE" : ""))) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Holder(r.getString(1), r.getLong(2))) : Optional.empty();
      }
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
