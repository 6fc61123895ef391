package dev.satellite.cli.support;

import dev.satellite.jdbc.JdbcStateStore;
import dev.satellite.jdbc.PostgresLeaderLease;
import dev.satellite.jdbc.StateDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the agents of one site share their checkpoint and leader lease: a PostgreSQL database
 * ({@code --state-db}), the user and the password to reach it (the password from the environment
 * only: {@value #PASSWORD_VARIABLE}, else {@code PGPASSWORD}), the site's name in it ({@code
 * --site}, by default the satellite's name in {@code --state}) and the lease's time to live.
 * {@link #toString} never shows the password.
 */
public record StateDbOptions(String url, Optional<String> user, Optional<String> password,
    String site, Duration leaseTtl) {

  /** The environment variable the database password comes from. */
  public static final String PASSWORD_VARIABLE = "SATELLITE_STATE_DB_PASSWORD";
  private static final Pattern SATELLITE_NAME =
      Pattern.compile("/satellite-state/([A-Za-z0-9][A-Za-z0-9._-]*)/");
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("[?&]password=", Pattern.CASE_INSENSITIVE);

  /**
   * Checks the command line's database options.
   *
   * @param stateRef the satellite state reference (for the default site name), or null in a fleet
   * @throws UsageException naming the option that is wrong
   */
  public static StateDbOptions of(String url, String user, String site, Duration ttl,
      String stateRef, Map<String, String> env) {
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new UsageException("option --state-db: '" + url + "' is not a PostgreSQL JDBC URL"
          + " (jdbc:postgresql://host:port/database)");
    }
    if (PASSWORD_PARAMETER.matcher(url).find()) {
      throw new UsageException("option --state-db: the URL carries a password; put it in the"
          + " environment (" + PASSWORD_VARIABLE + " or PGPASSWORD), where others cannot read it");
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new UsageException("option --lease-ttl: must be at least 1s, not " + ttl.toMillis()
          + "ms");
    }
    String name = site != null ? site : defaultSite(stateRef);
    try {
      PostgresLeaderLease.builder(StateDatabase.postgres(url, null, null), name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("option --site: " + e.getMessage());
    }
    Optional<String> password = Optional.ofNullable(env.get(PASSWORD_VARIABLE))
        .or(() -> Optional.ofNullable(env.get("PGPASSWORD")));
    Optional<String> login = Optional.ofNullable(user)
        .or(() -> Optional.ofNullable(env.get("PGUSER")));
    return new StateDbOptions(url, login, password, name, ttl);
  }

  private static String defaultSite(String stateRef) {
    Matcher m = stateRef == null ? null : SATELLITE_NAME.matcher(stateRef);
    if (m == null || !m.find()) {
      throw new UsageException("option --state-db needs --site <name>, the name the agents of"
          + " one site share in the database"
          + (stateRef == null ? "" : " (--state names no satellite-state/<name>/ to take it from)"));
    }
    return m.group(1);
  }

  /** The lease of this agent on the site; migrates the schema. */
  public PostgresLeaderLease lease() {
    StateDatabase database =
        StateDatabase.postgres(url, user.orElse(null), password.orElse(null));
    return PostgresLeaderLease.builder(database, site).ttl(leaseTtl).build();
  }

  /** The checkpoint store fenced by {@code lease}. */
  public static JdbcStateStore store(PostgresLeaderLease lease) {
    return JdbcStateStore.open(lease);
  }

  @Override
  public String toString() {
    return "StateDbOptions[url=" + url + ", user=" + user.orElse("(default)") + ", password="
        + (password.isPresent() ? "(set)" : "(none)") + ", site=" + site + ", leaseTtl="
        + leaseTtl + "]";
  }
}
