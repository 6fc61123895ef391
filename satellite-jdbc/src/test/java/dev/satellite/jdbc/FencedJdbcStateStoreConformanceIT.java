package dev.satellite.jdbc;

import dev.satellite.core.StateStore;
import dev.satellite.testing.RequiresPostgres;
import dev.satellite.testing.StateStoreContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link JdbcStateStore} fenced by a {@link PostgresLeaderLease} keeps every promise of a {@code
 * StateStore}; each store opened takes the lease over from the previous one (whose lease expired
 * in the database, while its holder still believes it holds it, as a paused holder does), so the
 * previous one's saves are refused by the fence.
 */
@RequiresPostgres
class FencedJdbcStateStoreConformanceIT extends StateStoreContract {
  private static final String NAME = "edge-1";
  private final List<PostgresLeaderLease> leases = new ArrayList<>();
  private TestDatabase db;

  @BeforeEach
  void newDatabase() {
    db = new TestDatabase();
  }

  @AfterEach
  void closeLeases() {
    leases.forEach(PostgresLeaderLease::close);
  }

  @Override
  protected StateStore openStore() {
    PostgresLeaderLease lease = PostgresLeaderLease.builder(db.database, NAME)
        .ttl(Duration.ofMinutes(5)).build();
    leases.add(lease);
    db.expireLease(NAME);
    if (lease.tryAcquire().isEmpty()) {
      throw new IllegalStateException("the expired lease was not acquired");
    }
    return JdbcStateStore.open(lease);
  }

  @Override
  protected Exclusivity exclusivity() {
    return Exclusivity.FIRST_FENCED_OUT;
  }
}
