package dev.satellite.jdbc;

import dev.satellite.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A fresh database on a {@link PostgresServer}, and plain SQL on it from outside the stores. */
final class TestDatabase {
  final PostgresServer server;
  final String url;
  final StateDatabase database;

  /** A new database on the JVM's {@linkplain PostgresServer#shared() shared server}. */
  TestDatabase() {
    this.server = PostgresServer.shared();
    this.url = server.newDatabase();
    this.database = StateDatabase.postgres(url, server.user(), server.password());
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, server.user(), server.password());
  }

  /** Runs {@code sql} with {@code params}; returns the rows changed. */
  int update(String sql, Object... params) {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e, e);
    }
  }

  /** The first column of the first row of {@code sql}, as a long. */
  long queryLong(String sql, Object... params) {
    try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new IllegalStateException(sql + ": no row");
        }
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e, e);
    }
  }

  /** Makes the lease {@code name} expire now, as it does when its holder stops renewing it. */
  void expireLease(String name) {
    update("UPDATE satellite_lease SET expires_at = clock_timestamp() - interval '1 second'"
        + " WHERE name = ?", name);
  }
}
