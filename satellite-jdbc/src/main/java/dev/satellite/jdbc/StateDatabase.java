package dev.satellite.jdbc;

import dev.satellite.core.StateStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL database that holds the checkpoints and leader leases of {@link JdbcStateStore}
 * and {@link PostgresLeaderLease}, and its schema.
 *
 * <p><b>Schema.</b> Versioned with Flyway (scripts {@code db/satellite/V<n>__*.sql} on the class
 * path, history in the table {@code satellite_schema_history}): {@link #migrate()} applies the
 * scripts a database lacks, in order, each in its own transaction, and refuses a database whose
 * applied scripts were changed since. Two agents migrating at once are serialized by Flyway's
 * lock. Running it again on an up-to-date database changes nothing. The stores and leases migrate
 * when they open.
 *
 * <p><b>Connections.</b> One per operation (a save, a load, a lease renewal), closed after it, so
 * a database restarted between two operations costs nothing but the failed operation in between.
 * A pool is not used: at a few operations per pass the connection set-up is a small part of a
 * save (see the README's figures); an application that has a pool can hand its {@link DataSource}
 * to {@link #of}.
 *
 * <p>The password is never logged nor put in an exception message.
 */
public final class StateDatabase {
  static final String HISTORY_TABLE = "satellite_schema_history";
  private static final int CONNECT_TIMEOUT_SECONDS = 5;
  private static final int SOCKET_TIMEOUT_SECONDS = 60;

  private final DataSource dataSource;
  private final String description;

  private StateDatabase(DataSource dataSource, String description) {
    this.dataSource = dataSource;
    this.description = description;
  }

  /**
   * A PostgreSQL database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}),
   * reached with a connect timeout of 5 s and a read timeout of 60 s, so that an unreachable
   * database fails an operation instead of hanging it.
   *
   * @param password the password (from the environment, never from a command line), or null
   * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL
   */
  public static StateDatabase postgres(String jdbcUrl, String user, String password) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/"
          + "database): " + jdbcUrl);
    }
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(jdbcUrl);
    if (user != null) {
      source.setUser(user);
    }
    if (password != null) {
      source.setPassword(password);
    }
    source.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
    source.setSocketTimeout(SOCKET_TIMEOUT_SECONDS);
    source.setApplicationName("satellite");
    int query = jdbcUrl.indexOf('?');
    return new StateDatabase(source, query < 0 ? jdbcUrl : jdbcUrl.substring(0, query));
  }

  /**
   * The database behind {@code dataSource} (a pool of the application's, say), described as
   * {@code description} in messages.
   */
  public static StateDatabase of(DataSource dataSource, String description) {
    return new StateDatabase(Objects.requireNonNull(dataSource, "dataSource"),
        Objects.requireNonNull(description, "description"));
  }

  /**
   * Brings the schema up to date.
   *
   * @return how many migrations were applied (0 when it was up to date)
   * @throws StateStoreException when the database cannot be reached, or a migration fails or was
   *     changed after it was applied
   */
  public int migrate() {
    try {
      MigrateResult result = Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/satellite")
          .table(HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .loggers("slf4j")
          .load()
          .migrate();
      return result.migrationsExecuted;
    } catch (FlywayException e) {
      throw new StateStoreException("migrate the schema of " + description + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * A new connection.
   *
   * @throws SQLException when the database cannot be reached
   */
  Connection connect() throws SQLException {
    return dataSource.getConnection();
  }

  /** The URL without parameters, or the description given. */
  @Override
  public String toString() {
    return description;
  }
}
