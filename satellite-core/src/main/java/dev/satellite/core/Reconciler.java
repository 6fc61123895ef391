package dev.satellite.core;

import dev.satellite.core.internal.CheckpointKeeper;
import dev.satellite.core.internal.PassTally;
import dev.satellite.core.internal.SafeListener;
import dev.satellite.core.internal.SyncPass;
import dev.satellite.core.internal.SyncWorkers;
import dev.satellite.core.internal.SyncSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * Keeps the edge registry in sync with the desired state published upstream. Each
 * {@link #sync()} is one pass:
 *
 * <ol>
 *   <li>read the satellite state (which groups, which config) from the {@link StateSource};
 *   <li>when a {@link ConfigHandler} is set and the config digest differs from the checkpoint's,
 *       read the config, hand it to the handler, and only after it returned record the digest;
 *   <li>record the group set: new groups are added as <em>pending</em>, with nothing in place;
 *   <li>read every group state, then copy each desired entity (key: repository + tag) that the
 *       checkpoint does not record at its digest; each entity succeeds or fails on its own; a tag
 *       given different digests (by one group, or by two) fails validation wherever it appears
 *       and is neither copied nor pruned, since the edge can hold one image under it;
 *       before the copies, the {@link Replicator} is told which edge repositories may already hold
 *       blobs (every checkpoint entity's, then each group's desired ones: {@link
 *       Replicator#edgeRepositories}), so that even a freshly started process mounts a shared
 *       layer from another repository rather than fetching it from upstream again;
 *   <li>once every group's copies are done, prune what no group desires any more;
 *   <li>save the checkpoint: it records exactly what is in place.
 * </ol>
 *
 * <p><b>The checkpoint is the baseline.</b> The first pass loads it from the {@link StateStore};
 * later passes continue from what this reconciler knows is in place. An entity the checkpoint
 * records at its desired digest is trusted: the replicator is not called for it, so a restart
 * with an unchanged upstream transfers no blob and no manifest. If the edge lost such an image
 * behind the reconciler's back, it is not noticed; clearing the store (or its group) makes the
 * next pass check every entity at the edge again.
 *
 * <p><b>Copy before prune, pass-wide.</b> No manifest or tag is deleted before every group's
 * copies are done: a tag that moves is first copied at its new digest, and deletion decisions see
 * the whole desired state. A (repository, digest) is deleted only when no desired entity of any
 * group points at it, including entities whose copy failed this pass, entities of groups whose
 * state could not be read, and tags whose new digest did not land yet. A tag no longer desired
 * whose manifest another desired tag shares is deleted alone ({@link Replicator#deleteTag}), or
 * left in place and reported as retained when the registry cannot delete a tag alone. A group
 * that left the satellite state has its entities pruned the same way; it stays in the checkpoint
 * until nothing of it is left. A group whose state could not be read keeps its checkpoint entries
 * and is not pruned.
 *
 * <p><b>Checkpoint saves</b> happen after the config digest changed, after the group set changed,
 * after each group's copies, and at the end of the pass, each only when the content differs from
 * the last saved checkpoint. A failed save does not lose the pass: it is reported
 * ({@link SyncReport#checkpointSaved()} false, plus an error) and retried at the next save moment.
 *
 * <p><b>Concurrency.</b> Passes never overlap: a {@code sync()} called while another runs
 * <em>waits</em> for it to end, then does its own pass (which starts from what the first one left).
 * Calling {@code sync()} from a listener or config handler, inside a pass, is a programming error.
 * Within a pass, groups and entities are worked on by the reconciler's worker threads: {@code
 * groupParallelism} for groups, {@code groupParallelism * entityParallelism} for entities and a
 * few for group state reads, daemon threads started by the first pass and kept for the next ones
 * (a pass starts no thread). {@link #close()} stops them; a reconciler that is dropped without
 * being closed keeps its idle daemon threads, which do not hold the JVM up. It does not close the
 * state store.
 *
 * <p><b>Failures.</b> Each entity, prune, group state read, config step and checkpoint save fails
 * on its own and is reported in the {@link SyncReport}; the pass goes on where that is safe (a
 * satellite state that cannot be read ends the pass with nothing changed). A {@link SyncListener}
 * that throws is logged and ignored.
 *
 * <p><b>Interrupts.</b> Interrupting the thread in {@code sync()} stops the pass promptly: queued
 * work is dropped, copies in flight are interrupted (and awaited up to the cancel grace), pruning
 * is skipped, and the checkpoint is saved with exactly what landed. The report says
 * {@link SyncReport#interrupted()}, and the thread's interrupt flag is set again on return.
 */
public final class Reconciler implements AutoCloseable {
  private final SyncSettings settings;
  private final StateStore store;
  private final SyncWorkers workers;
  private final Semaphore running = new Semaphore(1);
  private volatile Thread runner;
  private volatile boolean closed;
  private CheckpointKeeper keeper;
  private volatile boolean recheckEdge;
  private volatile boolean reload;
  private final LongSupplier edgeGeneration;
  /** The edge generation the checkpoint in use was kept for; read and written by passes only. */
  private long keptForEdge;

  private Reconciler(Builder builder) {
    this.store = Objects.requireNonNull(builder.stateStore, "stateStore is required");
    this.settings = new SyncSettings(
        Objects.requireNonNull(builder.stateSource, "stateSource is required"),
        Objects.requireNonNull(builder.replicator, "replicator is required"),
        new SafeListener(builder.listener),
        builder.configHandler,
        builder.groupParallelism,
        builder.entityParallelism,
        builder.clock,
        builder.cancelGrace,
        builder.upstreamMeter);
    this.workers = new SyncWorkers(builder.groupParallelism, builder.entityParallelism);
    this.edgeGeneration = builder.edgeGeneration;
    this.keptForEdge = edgeGeneration.getAsLong();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs one pass and returns what it did. Blocks until the pass ends; waits first if another
   * pass is running. Failures of entities, groups, the config, the satellite state or the
   * checkpoint store are reported in the {@link SyncReport}, not thrown.
   *
   * @return the report; when the thread is interrupted while waiting for another pass, a report
   *     with {@link SyncReport#interrupted()} true and no groups, at once
   * @throws IllegalStateException when called from within a pass on the same thread (a listener
   *     or a config handler calling back), or after {@link #close()}
   * @throws RuntimeException a bug in a collaborator that is not a per-item failure (for example
   *     a replicator returning null); {@link Error}s propagate as is, without a save
   */
  public SyncReport sync() {
    if (runner == Thread.currentThread()) {
      throw new IllegalStateException("sync() called from within a sync pass on the same thread");
    }
    try {
      running.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new PassTally().report(settings.clock().instant(), Duration.ZERO, true, true);
    }
    if (closed) {
      running.release();
      throw new IllegalStateException("sync() called after the reconciler was closed");
    }
    runner = Thread.currentThread();
    try {
      return new SyncPass(settings, this::keeper, workers).run();
    } finally {
      runner = null;
      running.release();
    }
  }

  /**
   * Stops the worker threads, after the pass running now, if any, has ended (interrupt its thread
   * to end it sooner). Later passes fail with {@link IllegalStateException}. Does not close the
   * state store, the replicator or the state source. Idempotent.
   *
   * @throws IllegalStateException when called from within a pass on the same thread
   */
  @Override
  public void close() {
    if (runner == Thread.currentThread()) {
      throw new IllegalStateException("close() called from within a sync pass on the same thread");
    }
    closed = true;
    running.acquireUninterruptibly();
    try {
      workers.close();
    } finally {
      running.release();
    }
  }

  /**
   * Makes the next pass trust nothing the checkpoint records as in place, for an edge that may not
   * hold it (the replicator was pointed at another edge registry): every desired entity is then
   * checked at the edge (found present, or copied), and nothing recorded before is pruned, since
   * it may not be there. The config digest is kept. May be called at any time, from any thread,
   * a config handler included; a pass in progress is not affected.
   */
  public void recheckEdgeNextPass() {
    recheckEdge = true;
  }

  /**
   * Makes the next pass start from what the store holds instead of what this reconciler
   * remembers: for a satellite that becomes leader again, whose successor may have written the
   * checkpoint meanwhile. May be called at any time, from any thread; a pass in progress is not
   * affected.
   */
  public void reloadCheckpointNextPass() {
    reload = true;
  }

  /** The keeper of what is in place: on first use, loaded from the store. */
  private CheckpointKeeper keeper() {
    if (reload) {
      keeper = null;
      reload = false;
    }
    long edge = edgeGeneration.getAsLong();
    if (edge != keptForEdge) {
      keptForEdge = edge;
      recheckEdge = true;
    }
    if (recheckEdge) {
      Checkpoint known = keeper != null ? keeper.snapshot() : store.load().orElse(Checkpoint.EMPTY);
      keeper = new CheckpointKeeper(store, Optional.of(known));
      keeper.forgetEntities();
      recheckEdge = false;
    } else if (keeper == null) {
      keeper = new CheckpointKeeper(store, store.load());
    }
    return keeper;
  }

  /** Configures a {@link Reconciler}; {@code stateSource}, {@code replicator}, {@code stateStore} are required. */
  public static final class Builder {
    private StateSource stateSource;
    private Replicator replicator;
    private StateStore stateStore;
    private SyncListener listener = new SyncListener() {};
    private ConfigHandler configHandler;
    private int groupParallelism = 1;
    private int entityParallelism = 4;
    private Clock clock = Clock.systemUTC();
    private Duration cancelGrace = Duration.ofSeconds(10);
    private UpstreamMeter upstreamMeter = () -> 0;
    private LongSupplier edgeGeneration = () -> 0;

    private Builder() {}

    public Builder stateSource(StateSource stateSource) {
      this.stateSource = Objects.requireNonNull(stateSource, "stateSource");
      return this;
    }

    public Builder replicator(Replicator replicator) {
      this.replicator = Objects.requireNonNull(replicator, "replicator");
      return this;
    }

    public Builder stateStore(StateStore stateStore) {
      this.stateStore = Objects.requireNonNull(stateStore, "stateStore");
      return this;
    }

    /** Told of progress and events; see {@link SyncListener}. Default: none. */
    public Builder listener(SyncListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Applies the config when its digest changes. Default: none, and the config is not read. */
    public Builder configHandler(ConfigHandler configHandler) {
      this.configHandler = Objects.requireNonNull(configHandler, "configHandler");
      return this;
    }

    /**
     * How many groups are worked on at once. Default 1.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder groupParallelism(int groups) {
      this.groupParallelism = atLeastOne(groups, "groupParallelism");
      return this;
    }

    /**
     * How many entities of one group are copied at once. Default 4.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder entityParallelism(int entities) {
      this.entityParallelism = atLeastOne(entities, "entityParallelism");
      return this;
    }

    /** Times the passes in reports. Default: the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long an interrupted pass waits for copies in flight to stop before it saves and returns.
     * Copies still running after it are not recorded. Default 10 seconds.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder cancelGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("cancelGrace cannot be negative: " + grace);
      }
      this.cancelGrace = grace;
      return this;
    }

    /**
     * Counts the bytes read from the upstream: each pass's report then gives its own ({@link
     * SyncReport#upstreamBytes()}) and the meter's running total ({@link
     * SyncReport#upstreamBytesTotal()}). Default: not counted (both 0).
     */
    public Builder upstreamMeter(UpstreamMeter meter) {
      this.upstreamMeter = Objects.requireNonNull(meter, "meter");
      return this;
    }

    /**
     * Tells which edge registry the replicator writes to now, as a number that changes whenever
     * the replicator is pointed at another edge (a counter of switches, not an address: an edge
     * left and later returned to may have lost images meanwhile). The supplier is read as each
     * pass starts; when its value differs from the one the previous pass started with, that pass
     * does what {@link Reconciler#recheckEdgeNextPass()} asks. It lets the owner of a switchable
     * replicator say so without holding the reconciler. Default: the edge never changes.
     */
    public Builder edgeGeneration(LongSupplier generation) {
      this.edgeGeneration = Objects.requireNonNull(generation, "generation");
      return this;
    }

    /** @throws NullPointerException naming the required setting that is missing */
    public Reconciler build() {
      return new Reconciler(this);
    }

    private static int atLeastOne(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, got " + value);
      }
      return value;
    }
  }
}
