package dev.satellite.jdbc;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.StateStore;
import dev.satellite.core.StateStoreException;
import dev.satellite.jdbc.internal.CheckpointTables;
import dev.satellite.jdbc.internal.LeaseTable;
import dev.satellite.jdbc.internal.StoredCheckpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} in PostgreSQL, for sites where two or more agents share one edge registry
 * and take turns under a {@link PostgresLeaderLease}. Several checkpoints live side by side in one
 * database, each under its name (the lease's name when fenced).
 *
 * <p><b>Rows.</b> A checkpoint is a row of {@code satellite_checkpoint} (epoch of its writer,
 * generation, config digest, SHA-256 of the content, time saved) and its groups, entities (in
 * order) and referrer marks in three more tables (schema: {@link StateDatabase}).
 *
 * <p><b>Save</b> is one transaction: it share-locks the lease row and checks that it names this
 * store's epoch (the fence), locks the checkpoint row and checks that no newer epoch wrote it,
 * writes what changed since the generation it last saved or loaded (everything, when another
 * generation is there), then bumps the generation. A crash, a lost connection or a database that
 * goes down before the commit leaves the previous checkpoint whole; the save fails with a {@link
 * StateStoreException} naming the database, and the next save tries again. A save of the checkpoint
 * this store saved last, under the same epoch, writes nothing.
 *
 * <p><b>Fence.</b> Opened with a lease ({@link #open(PostgresLeaderLease)}), the store saves only
 * while the lease says it holds it, and only if the lease row still carries its epoch; a takeover
 * and a save of the previous holder are serialized by the row lock, so either the save commits
 * before the takeover (and the successor loads it) or it is refused. A refusal tells the lease,
 * which counts as lost from then on. Without a lease ({@link #open(StateDatabase, String)}), the
 * application must make sure there is one writer; such a store refuses to write a checkpoint that
 * a lease guards.
 *
 * <p><b>Load</b> reads the rows in one repeatable-read transaction (one generation, never a mix)
 * and checks them: valid names and digests, entity positions without gaps, and the SHA-256. Rows
 * that fail are logged at WARN with the reason, kept under the name {@code
 * <name>:corrupt-<time>} (when this store may write: it holds the lease, or there is none), and
 * load returns empty, so the pass starts from scratch (checking each image at the edge) instead of
 * trusting them.
 *
 * <p>Thread-safe: calls are serialized.
 */
public final class JdbcStateStore implements StateStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcStateStore.class);
  private static final DateTimeFormatter KEPT_AS =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final StateDatabase database;
  private final String name;
  private final PostgresLeaderLease lease;
  private final Clock clock;
  private StoredCheckpoint lastKnown;
  private boolean closed;

  private JdbcStateStore(StateDatabase database, String name, PostgresLeaderLease lease,
      Clock clock) {
    this.database = database;
    this.name = name;
    this.lease = lease;
    this.clock = clock;
  }

  /**
   * A store of the checkpoint {@code name} in {@code database}, without a lease: for one agent.
   * Brings the schema up to date.
   *
   * @throws IllegalArgumentException when the name is invalid
   * @throws StateStoreException when the database cannot be reached or migrated
   */
  public static JdbcStateStore open(StateDatabase database, String name) {
    Objects.requireNonNull(database, "database");
    PostgresLeaderLease.requireName(name);
    database.migrate();
    return new JdbcStateStore(database, name, null, Clock.systemUTC());
  }

  /**
   * A store of the checkpoint named after {@code lease}, in its database, whose saves are fenced
   * by it. The lease stays the caller's (closing the store does not close it).
   */
  public static JdbcStateStore open(PostgresLeaderLease lease) {
    Objects.requireNonNull(lease, "lease");
    return new JdbcStateStore(lease.database(), lease.name(), lease, Clock.systemUTC());
  }

  /** The checkpoint's name. */
  public String name() {
    return name;
  }

  /**
   * @throws StateStoreException when the database cannot be read, or the store is closed
   */
  @Override
  public synchronized Optional<Checkpoint> load() {
    requireOpen();
    lastKnown = null;
    try (Connection c = database.connect()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      CheckpointTables.Read read = CheckpointTables.read(c, name);
      c.commit();
      if (read instanceof CheckpointTables.Valid valid) {
        lastKnown = valid.stored();
        return Optional.of(valid.stored().checkpoint());
      }
      if (read instanceof CheckpointTables.Damaged damaged) {
        c.setReadOnly(false);
        keepAside(c, damaged);
      }
      return Optional.empty();
    } catch (SQLException e) {
      throw failure("load", e);
    }
  }

  /**
   * @throws StateStoreException when the database cannot be reached, the write fails (the previous
   *     checkpoint is then intact), the fence refuses it (another agent took over), or the store
   *     is closed
   */
  @Override
  public synchronized void save(Checkpoint checkpoint) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    requireOpen();
    long epoch = epoch();
    if (lastKnown != null && lastKnown.epoch() == epoch
        && lastKnown.checkpoint().equals(checkpoint)) {
      return; // saved by this holder already; under another epoch, a successor may have written
    }
    StoredCheckpoint base = lastKnown;
    lastKnown = null;
    try (Connection c = database.connect()) {
      c.setAutoCommit(false);
      try {
        fence(c, epoch);
        Optional<CheckpointTables.Head> head = CheckpointTables.lockHead(c, name);
        if (head.isPresent() && head.get().epoch() > epoch) {
          throw fencedOut(epoch, "epoch " + head.get().epoch() + " wrote it since");
        }
        long generation = head.map(h -> h.generation() + 1).orElse(1L);
        boolean baseIsCurrent = base != null && head.isPresent()
            && head.get().generation() == base.generation();
        CheckpointTables.write(c, name, head, baseIsCurrent ? base.checkpoint() : null, checkpoint,
            epoch, generation);
        c.commit();
        lastKnown = new StoredCheckpoint(checkpoint, epoch, generation);
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure("save", e);
    }
  }

  /** Forgets what was saved last; the store cannot be used afterwards. Does not close the lease. */
  @Override
  public synchronized void close() {
    closed = true;
    lastKnown = null;
  }

  @Override
  public String toString() {
    return "JdbcStateStore[" + name + " in " + database + "]";
  }

  /** The epoch to write with: the lease's, or 0 without a lease. */
  private long epoch() {
    if (lease == null) {
      return 0;
    }
    OptionalLong held = lease.heldEpoch();
    if (held.isEmpty()) {
      throw new StateStoreException("save checkpoint " + name + " to " + database
          + ": refused, this agent does not hold the lease (standby, or the lease was lost)");
    }
    return held.getAsLong();
  }

  /** Share-locks the lease row and checks it carries {@code epoch}; 0: that there is none. */
  private void fence(Connection c, long epoch) throws SQLException {
    Optional<LeaseTable.Holder> holder = LeaseTable.holder(c, name, true);
    if (lease == null) {
      if (holder.isPresent()) {
        throw new StateStoreException("save checkpoint " + name + " to " + database
            + ": refused, a leader lease guards this checkpoint (held by "
            + holder.get().holder() + "); open the store with that lease");
      }
    } else if (holder.isEmpty() || holder.get().epoch() != epoch) {
      throw fencedOut(epoch, holder.map(h -> "the lease is held by " + h.holder() + " with epoch "
          + h.epoch()).orElse("the lease row is gone"));
    }
  }

  private StateStoreException fencedOut(long epoch, String why) {
    String reason = "checkpoint write with epoch " + epoch + " refused by the fence: " + why;
    lease.fencedOut(epoch, reason);
    return new StateStoreException("save checkpoint " + name + " to " + database + ": " + reason);
  }

  /** Logs the damage and renames the rows when this store may write; never throws for them. */
  private void keepAside(Connection c, CheckpointTables.Damaged damaged) throws SQLException {
    String keptAs = name + ":corrupt-" + KEPT_AS.format(clock.instant());
    String where;
    try {
      fence(c, epoch());
      CheckpointTables.rename(c, name, keptAs);
      c.commit();
      where = "kept its rows under the name " + keptAs;
    } catch (StateStoreException notAllowed) {
      rollback(c, notAllowed);
      where = "left its rows in place (" + notAllowed.getMessage() + ")";
    }
    log.warn("Checkpoint {} in {} is unusable: {}. {}; starting from an empty checkpoint.", name,
        database, damaged.reason(), where);
  }

  private StateStoreException failure(String what, SQLException e) {
    return new StateStoreException(what + " checkpoint " + name + " in " + database + ": "
        + (e.getSQLState() == null ? "" : "SQL state " + e.getSQLState() + ", ") + e.getMessage(),
        e);
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new StateStoreException("checkpoint store " + name + " in " + database + " is closed");
    }
  }
}
