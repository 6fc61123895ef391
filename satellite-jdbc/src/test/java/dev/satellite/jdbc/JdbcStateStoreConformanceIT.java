package dev.satellite.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.StateStore;
import dev.satellite.testing.RequiresPostgres;
import dev.satellite.testing.StateStoreContract;
import org.junit.jupiter.api.BeforeEach;

/** {@link JdbcStateStore} without a lease keeps every promise of a {@code StateStore}. */
@RequiresPostgres
class JdbcStateStoreConformanceIT extends StateStoreContract {
  private static final String NAME = "edge-1";
  private TestDatabase db;

  @BeforeEach
  void newDatabase() {
    db = new TestDatabase();
  }

  @Override
  protected StateStore openStore() {
    return JdbcStateStore.open(db.database, NAME);
  }

  @Override
  protected Exclusivity exclusivity() {
    return Exclusivity.NONE;
  }

  /** One hex digit of one digest changed by hand: still a digest, caught by the checksum. */
  @Override
  protected void damage() {
    int changed = db.update("UPDATE satellite_checkpoint_entity SET digest = 'sha256:'"
        + " || translate(substr(digest, 8, 1), '0123456789abcdef', '123456789abcdef0')"
        + " || substr(digest, 9) WHERE name = ? AND position = 0"
        + " AND digest LIKE 'sha256:%' AND group_ref LIKE '%zeta%'", NAME);
    assertThat(changed).isEqualTo(1);
  }

  @Override
  protected void assertBadCopyKept() {
    assertThat(db.queryLong("SELECT count(*) FROM satellite_checkpoint WHERE name LIKE ?",
        NAME + ":corrupt-%")).isEqualTo(1);
    assertThat(db.queryLong("SELECT count(*) FROM satellite_checkpoint_entity WHERE name LIKE ?",
        NAME + ":corrupt-%")).as("the entity rows went with it").isEqualTo(5);
  }

  /** The database is stopped, then started again. */
  @Override
  protected Outage outage() {
    return new Outage() {
      @Override
      public void begin() {
        db.server.stop();
      }

      @Override
      public void end() {
        db.server.restart();
      }
    };
  }
}
