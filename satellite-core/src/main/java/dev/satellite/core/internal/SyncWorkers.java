package dev.satellite.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker threads of one reconciler, kept from pass to pass: a pool for groups ({@code
 * groupParallelism} threads), one for entities ({@code groupParallelism * entityParallelism}) and
 * one for group state reads ({@link CopyPhase#STATE_READS_AHEAD}), each at most that many threads.
 * A pool starts a thread only when a task finds none of its threads idle, and keeps it until
 * {@link #close}: passes that ask no more at a time than an earlier one start no thread. All are
 * daemon threads. Pools of separate roles keep a group waiting for its entities from holding the
 * threads those need.
 *
 * <p>A pass submits through its own {@link Pass}, which knows the tasks it submitted: when the pass
 * ends it drops those not started, interrupts those running unless the pass finished, and waits
 * for them up to the cancel grace. Workers still running after the grace are left to end on their
 * own and their pools are retired (shut down, not awaited): the next pass starts new ones, so a
 * worker stuck in a call that ignores interrupts never holds a later pass up.
 *
 * <p>Thread-safe; passes run one at a time (the reconciler's own rule).
 */
public final class SyncWorkers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncWorkers.class);

  /** The roles of the pools, and their thread name parts. */
  enum Role {
    GROUP("group"),
    ENTITY("copy"),
    STATE("state");

    final String threadName;

    Role(String threadName) {
      this.threadName = threadName;
    }
  }

  private final int groupParallelism;
  private final int entityParallelism;
  private final AtomicInteger generation = new AtomicInteger();
  private List<ThreadPoolExecutor> pools;
  private boolean closed;

  /** @throws IllegalArgumentException when a parallelism is below 1 */
  public SyncWorkers(int groupParallelism, int entityParallelism) {
    if (groupParallelism < 1 || entityParallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1: groups "
          + groupParallelism + ", entities " + entityParallelism);
    }
    this.groupParallelism = groupParallelism;
    this.entityParallelism = entityParallelism;
  }

  /**
   * Starts a pass's use of the workers, starting them first when no pass has yet.
   *
   * @throws IllegalStateException when closed
   */
  public synchronized Pass startPass() {
    if (closed) {
      throw new IllegalStateException("the reconciler is closed");
    }
    if (pools == null) {
      int round = generation.incrementAndGet();
      pools = List.of(
          pool(round, Role.GROUP, groupParallelism),
          pool(round, Role.ENTITY, groupParallelism * entityParallelism),
          pool(round, Role.STATE, CopyPhase.STATE_READS_AHEAD));
    }
    return new Pass(pools);
  }

  /** Stops the workers: tasks still running are interrupted. Idempotent. */
  @Override
  public void close() {
    List<ThreadPoolExecutor> stopping;
    synchronized (this) {
      closed = true;
      stopping = pools;
      pools = null;
    }
    if (stopping != null) {
      stopping.forEach(ExecutorService::shutdownNow);
    }
  }

  /** Retires {@code used} when they are still the current pools; the next pass starts new ones. */
  private synchronized void retire(List<ThreadPoolExecutor> used) {
    if (pools == used) {
      pools = null;
    }
    used.forEach(ExecutorService::shutdownNow);
  }

  /**
   * A pool of at most {@code size} threads that hands a task to an idle thread when there is one,
   * starts a thread when there is none (below {@code size}), and queues the task otherwise. Idle
   * threads are kept.
   */
  private static ThreadPoolExecutor pool(int round, Role role, int size) {
    AtomicInteger count = new AtomicInteger();
    String prefix = "satellite-sync-" + role.threadName + "-" + (round == 1 ? "" : round + "-");
    HandOff queue = new HandOff();
    return new ThreadPoolExecutor(0, size, Long.MAX_VALUE, TimeUnit.NANOSECONDS, queue,
        task -> {
          Thread thread = new Thread(task, prefix + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        (task, pool) -> {
          if (pool.isShutdown()) {
            throw new RejectedExecutionException("the reconciler's workers are stopped");
          }
          queue.enqueue(task); // every thread is busy: one takes it when done
        });
  }

  /**
   * A queue whose {@code offer} succeeds only when an idle thread takes the task at once, so that
   * the pool starts a thread instead of queueing while it may; {@link #enqueue} queues.
   */
  private static final class HandOff extends LinkedTransferQueue<Runnable> {
    @Override
    public boolean offer(Runnable task) {
      return tryTransfer(task);
    }

    void enqueue(Runnable task) {
      super.offer(task);
    }
  }

  /** One pass's tasks on the workers. */
  public final class Pass {
    private final List<ThreadPoolExecutor> pools;
    private final Queue<Task<?>> tasks = new ConcurrentLinkedQueue<>();

    private Pass(List<ThreadPoolExecutor> pools) {
      this.pools = pools;
    }

    /**
     * Runs {@code work} on the pool of {@code role}.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the workers were closed
     */
    <T> Future<T> submit(Role role, Callable<T> work) {
      Task<T> task = new Task<>(work);
      tasks.add(task);
      pools.get(role.ordinal()).execute(task);
      return task;
    }

    /** The pool of {@code role} as an executor whose tasks belong to this pass. */
    Executor executor(Role role) {
      return command -> submit(role, Executors.callable(command));
    }

    /** An executor-like view of one pool, for code that submits callables. */
    Submitter on(Role role) {
      return new Submitter() {
        @Override
        public <T> Future<T> submit(Callable<T> work) {
          return Pass.this.submit(role, work);
        }
      };
    }

    /**
     * Ends the pass: drops its tasks not started, interrupts those running unless {@code
     * finished}, and waits up to {@code grace} for the running ones to end.
     */
    void end(boolean finished, Duration grace) {
      List<Task<?>> all = new ArrayList<>(tasks);
      if (!finished) {
        all.forEach(task -> task.cancel(true));
      }
      long deadline = System.nanoTime() + grace.toNanos();
      boolean ended = true;
      try {
        for (Task<?> task : all) {
          ended &= task.awaitEnd(!finished, deadline - System.nanoTime());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended = false;
      }
      if (!ended) {
        log.warn("sync workers did not stop within {}; what they do now is not recorded", grace);
        retire(pools);
      }
    }
  }

  /** Submits callables; what {@link GroupStatePrefetch} needs of a pool. */
  interface Submitter {
    <T> Future<T> submit(Callable<T> work);
  }

  /** A task that a pass's end can claim before a worker runs it, or wait for. */
  private static final class Task<T> extends FutureTask<T> {
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);

    Task(Callable<T> work) {
      super(work);
    }

    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true)) {
        return; // dropped by the end of its pass
      }
      try {
        super.run();
      } finally {
        ended.countDown();
      }
    }

    /**
     * True once the task ended, or (when {@code drop}) will never run; false when {@code nanos}
     * passed first.
     */
    boolean awaitEnd(boolean drop, long nanos) throws InterruptedException {
      if (drop && claimed.compareAndSet(false, true)) {
        cancel(false);
        return true;
      }
      return ended.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
  }
}
