package dev.satellite.registry.internal.copy;

import dev.satellite.core.SatelliteException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one action per item with at most {@code parallelism} of them at a time, on an executor that
 * may be shared with other copies: a fixed number of workers drain one queue, so the bound holds
 * whatever the executor's size. After the first failure no new item starts; running ones finish
 * (nothing keeps writing after {@link #run} returns), then the first failure is thrown with the
 * others suppressed.
 */
final class BoundedParallel {
  private final Executor executor;
  private final int parallelism;

  BoundedParallel(Executor executor, int parallelism) {
    this.executor = executor;
    this.parallelism = parallelism;
  }

  <T> void run(List<T> items, Consumer<T> action) {
    if (items.isEmpty()) {
      return;
    }
    ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>(items);
    AtomicBoolean failed = new AtomicBoolean();
    Runnable worker =
        () -> {
          for (T item; !failed.get() && (item = queue.poll()) != null; ) {
            try {
              action.accept(item);
            } catch (RuntimeException | Error e) {
              failed.set(true);
              throw e;
            }
          }
        };
    int workers = Math.min(parallelism, items.size());
    List<FutureTask<Void>> tasks = new ArrayList<>(workers);
    for (int i = 1; i < workers; i++) {
      FutureTask<Void> task = new FutureTask<>(worker, null);
      tasks.add(task);
      try {
        executor.execute(task);
      } catch (RejectedExecutionException e) {
        task.cancel(false);
        failed.set(true);
        awaitAll(tasks);
        throw new SatelliteException("blob copy executor rejected work (is it shut down?)", e);
      }
    }
    FutureTask<Void> inline = new FutureTask<>(worker, null);
    tasks.add(inline);
    inline.run();
    awaitAll(tasks);
  }

  /** Waits for every task, then throws the first failure with the others suppressed. */
  private static void awaitAll(List<FutureTask<Void>> tasks) {
    RuntimeException first = null;
    boolean interrupted = false;
    for (FutureTask<Void> task : tasks) {
      while (true) {
        try {
          task.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          tasks.forEach(t -> t.cancel(true));
        } catch (CancellationException e) {
          break;
        } catch (ExecutionException e) {
          first = merge(first, e.getCause());
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      first = merge(first, new SatelliteException("interrupted while copying blobs"));
    }
    if (first != null) {
      throw first;
    }
  }

  private static RuntimeException merge(RuntimeException first, Throwable next) {
    if (next instanceof Error error) {
      throw error;
    }
    RuntimeException e =
        next instanceof RuntimeException re ? re : new SatelliteException(next.toString(), next);
    if (first == null) {
      return e;
    }
    if (first != e) {
      first.addSuppressed(e);
    }
    return first;
  }
}
