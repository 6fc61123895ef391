package dev.satellite.jdbc;

import dev.satellite.core.LeaderLease;
import dev.satellite.core.StateStoreException;
import dev.satellite.jdbc.internal.LeaseTable;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LeaderLease} kept in a row of the PostgreSQL table {@code satellite_lease}: name,
 * holder, epoch, expiry.
 *
 * <p><b>Protocol.</b> Every time is the database's ({@code clock_timestamp()}); the agents' clocks
 * need not agree.
 *
 * <ul>
 *   <li><b>Acquire</b>: one statement inserts the row, or takes it over when its expiry has passed,
 *       with the next epoch ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE expires_at <=
 *       clock_timestamp()}); of two standbys trying at once, one gets it.
 *   <li><b>Renew</b>: every {@code ttl / 3}, the holder moves the expiry to {@code ttl} from now,
 *       if the row still names it with its epoch. Locally the lease counts as held until {@code
 *       ttl} (less a margin of a tenth, at most a second) after the start of the last successful
 *       renewal: the database set the expiry after that instant, so the lease cannot have expired
 *       before. A renewal is bounded by a network timeout of {@code ttl / 3}.
 *   <li><b>Lost</b>: the row names another holder, or no renewal succeeded in time, or a
 *       checkpoint write was refused by the fence ({@link JdbcStateStore} reports it): {@link
 *       #heldEpoch()} is empty from then on and the listener hears {@code lost}. The lease then
 *       competes again, as a standby.
 *   <li><b>Release</b>: {@link #close()} sets the expiry to now, so a standby takes over at its
 *       next attempt ({@code ttl / 3} at most) instead of a whole {@code ttl} later.
 * </ul>
 *
 * <p><b>Fencing.</b> The epoch is what makes a lost lease harmless: {@link JdbcStateStore} writes
 * a checkpoint only in a transaction that share-locks this row and finds its own epoch in it, so a
 * holder that was paused or partitioned past its expiry (and still believes it holds the lease)
 * has its writes refused once a successor took over.
 *
 * <p>Takeover time after a holder dies without releasing: at most {@code ttl} (the expiry) plus
 * {@code ttl / 3} (the standby's next attempt).
 */
public final class PostgresLeaderLease implements LeaderLease {
  /** The default time to live of a lease. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Logger log = LoggerFactory.getLogger(PostgresLeaderLease.class);

  private final StateDatabase database;
  private final String name;
  private final String holder;
  private final Duration ttl;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService thread;
  private final Object lock = new Object();
  private long epoch;
  private long validUntil;
  private Listener listener;
  private boolean started;
  private boolean closed;

  PostgresLeaderLease(StateDatabase database, String name, String holder, Duration ttl,
      LongSupplier nanoTime) {
    this.database = database;
    this.name = name;
    this.holder = holder;
    this.ttl = ttl;
    this.nanoTime = nanoTime;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "satellite-lease-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A lease on {@code name} (letters, digits, {@code . _ -}; the agents of one site use the same
   * name) in {@code database}; migrates the schema.
   *
   * @throws IllegalArgumentException when the name is not valid
   */
  public static Builder builder(StateDatabase database, String name) {
    return new Builder(database, name);
  }

  static String requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid lease name '" + name
          + "': must match " + NAME.pattern());
    }
    return name;
  }

  @Override
  public String name() {
    return name;
  }

  /** Who this lease says it is in the table: host, process id and a random part. */
  public String holder() {
    return holder;
  }

  public Duration ttl() {
    return ttl;
  }

  StateDatabase database() {
    return database;
  }

  @Override
  public void start(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      if (closed || started) {
        throw new IllegalStateException("lease " + name + (closed ? " is closed" : " was started"));
      }
      started = true;
      this.listener = listener;
    }
    long period = Math.max(1, ttl.toMillis() / 3);
    thread.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
  }

  /**
   * One attempt to acquire the lease now, on the calling thread.
   *
   * @return the epoch when it is held now (acquired now or before)
   * @throws StateStoreException when the database cannot be reached
   */
  public OptionalLong tryAcquire() {
    OptionalLong held = heldEpoch();
    if (held.isPresent()) {
      return held;
    }
    long start = nanoTime.getAsLong();
    OptionalLong acquired;
    try (Connection c = connection()) {
      acquired = LeaseTable.acquire(c, name, holder, ttl);
    } catch (SQLException e) {
      throw new StateStoreException("acquire lease " + name + " in " + database + ": " + e, e);
    }
    if (acquired.isPresent()) {
      Listener told;
      synchronized (lock) {
        if (closed) {
          return OptionalLong.empty();
        }
        epoch = acquired.getAsLong();
        validUntil = start + validity();
        told = listener;
      }
      log.info("lease {} acquired by {} with epoch {}", name, holder, acquired.getAsLong());
      if (told != null) {
        thread.execute(() -> told.acquired(acquired.getAsLong()));
      }
    }
    return acquired;
  }

  @Override
  public OptionalLong heldEpoch() {
    long lostEpoch;
    synchronized (lock) {
      if (epoch == 0) {
        return OptionalLong.empty();
      }
      if (nanoTime.getAsLong() - validUntil < 0) {
        return OptionalLong.of(epoch);
      }
      lostEpoch = epoch;
    }
    lose(lostEpoch, "not renewed within " + ttl.toMillis() + " ms: it may have expired");
    return OptionalLong.empty();
  }

  /** A checkpoint write with {@code epoch} was refused by the fence: the lease is lost. */
  void fencedOut(long fencedEpoch, String reason) {
    lose(fencedEpoch, reason);
  }

  @Override
  public void close() {
    long held;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      held = epoch;
    }
    thread.shutdownNow();
    try {
      thread.awaitTermination(ttl.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (held != 0) {
      try (Connection c = connection()) {
        LeaseTable.release(c, name, holder, held);
        log.info("lease {} released by {} (epoch {})", name, holder, held);
      } catch (SQLException e) {
        log.warn("lease {} not released ({}); a standby takes over when it expires", name,
            e.toString());
      }
      lose(held, "closed");
    }
  }

  @Override
  public String toString() {
    return "PostgresLeaderLease[" + name + " in " + database + ", holder " + holder + "]";
  }

  private void tick() {
    long held;
    synchronized (lock) {
      if (closed) {
        return;
      }
      held = epoch;
    }
    try {
      if (held == 0) {
        tryAcquire();
      } else {
        renew(held);
      }
    } catch (RuntimeException e) {
      log.warn("lease {}: {}", name, e.getMessage());
      heldEpoch(); // steps down when the lease may have expired meanwhile
    }
  }

  private void renew(long held) {
    long start = nanoTime.getAsLong();
    boolean renewed;
    try (Connection c = connection()) {
      renewed = LeaseTable.renew(c, name, holder, held, ttl);
      if (!renewed) {
        String by = LeaseTable.holder(c, name, false)
            .map(h -> h.holder() + " with epoch " + h.epoch()).orElse("nobody (row deleted)");
        lose(held, "taken over: the lease is held by " + by);
        return;
      }
    } catch (SQLException e) {
      throw new StateStoreException("renew lease " + name + " in " + database + ": " + e, e);
    }
    synchronized (lock) {
      if (epoch == held) {
        validUntil = start + validity();
      }
    }
  }

  private long validity() {
    long margin = Math.min(TimeUnit.SECONDS.toNanos(1), ttl.toNanos() / 10);
    return ttl.toNanos() - margin;
  }

  /** Marks the lease held with {@code lostEpoch} as lost, once, and tells the listener. */
  private void lose(long lostEpoch, String reason) {
    Listener told;
    synchronized (lock) {
      if (epoch != lostEpoch || epoch == 0) {
        return;
      }
      epoch = 0;
      told = listener;
    }
    log.warn("lease {} (epoch {}) lost by {}: {}", name, lostEpoch, holder, reason);
    if (told != null) {
      Runnable tell = () -> told.lost(lostEpoch, reason);
      if (thread.isShutdown()) {
        tell.run();
      } else {
        thread.execute(tell);
      }
    }
  }

  private Connection connection() throws SQLException {
    Connection c = database.connect();
    try {
      c.setNetworkTimeout(Runnable::run, (int) Math.max(1000, ttl.toMillis() / 3));
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** Options of a {@link PostgresLeaderLease}. */
  public static final class Builder {
    private final StateDatabase database;
    private final String name;
    private Duration ttl = DEFAULT_TTL;
    private String holder;

    private Builder(StateDatabase database, String name) {
      this.database = Objects.requireNonNull(database, "database");
      this.name = requireName(name);
    }

    /**
     * How long a lease lasts without renewal (default 15 s): the longest a site goes without a
     * leader after the holder dies. At least 1 s.
     */
    public Builder ttl(Duration ttl) {
      if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("lease ttl must be at least 1s: " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** What this holder is called in the table (default: host, process id, random part). */
    public Builder holder(String holder) {
      if (holder == null || holder.isBlank() || holder.length() > 200) {
        throw new IllegalArgumentException("a lease holder needs a name of 1 to 200 characters");
      }
      this.holder = holder;
      return this;
    }

    /**
     * Builds the lease and brings the schema up to date; it competes once {@link #start started}.
     *
     * @throws StateStoreException when the database cannot be reached or migrated
     */
    public PostgresLeaderLease build() {
      database.migrate();
      return new PostgresLeaderLease(database, name, holder != null ? holder : defaultHolder(),
          ttl, System::nanoTime);
    }

    private static String defaultHolder() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "unknown-host";
      }
      byte[] random = new byte[4];
      ThreadLocalRandom.current().nextBytes(random);
      return host + "/" + ProcessHandle.current().pid() + "/" + HexFormat.of().formatHex(random);
    }
  }
}
