package dev.satellite.agent.internal;

import dev.satellite.core.Entity;
import dev.satellite.core.ReferrersResult;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.ReplicationResult;
import dev.satellite.core.Replicator;
import dev.satellite.registry.RegistryReplicator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Replicator} whose edge registry can be replaced while the satellite runs (Ground
 * Control's config names another {@code local_registry}): every call goes to the replicator
 * current when it is made.
 *
 * <p><b>Retiring.</b> A replaced replicator is closed, with what was handed in to be released with
 * it (the edge client built for it), as soon as no call made before the switch is still in flight
 * on it: at once when none is, else when the last one returns. Nothing is kept for the life of the
 * satellite; at any time this holds the current replicator and, at most, one retiring replicator
 * per call still in flight. {@link #close} closes all of them.
 *
 * <p>{@link #generation()} counts the switches, for the reconciler's {@code edgeGeneration}: the
 * pass after a switch checks every image at the new edge.
 */
public final class SwitchableReplicator implements Replicator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SwitchableReplicator.class);

  private final Set<Slot> retiring = new HashSet<>();
  private Slot current;
  private long generation;
  private boolean closed;

  /** A replicator and what to release when it is closed. */
  private static final class Slot {
    final RegistryReplicator replicator;
    final AutoCloseable release;
    int calls;

    Slot(RegistryReplicator replicator, AutoCloseable release) {
      this.replicator = replicator;
      this.release = release;
    }
  }

  /**
   * Starts with {@code initial}; {@code release} is closed after it ({@code () -> { }} when the
   * caller keeps its edge client).
   */
  public SwitchableReplicator(RegistryReplicator initial, AutoCloseable release) {
    this.current = new Slot(initial, release);
  }

  /**
   * Sends every later call to {@code next}; {@code release} is closed after {@code next}, when it
   * is retired in turn or this is closed.
   *
   * @throws IllegalStateException after {@link #close}
   */
  public void switchTo(RegistryReplicator next, AutoCloseable release) {
    Slot idle = null;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the replicator was closed");
      }
      Slot previous = current;
      current = new Slot(next, release);
      generation++;
      if (previous.calls == 0) {
        idle = previous;
      } else {
        retiring.add(previous);
      }
    }
    if (idle != null) {
      close(idle);
    }
  }

  /** How many times the replicator was switched. */
  public synchronized long generation() {
    return generation;
  }

  /** Replicators replaced whose calls are still in flight. */
  synchronized int retiring() {
    return retiring.size();
  }

  private <T> T call(Function<RegistryReplicator, T> call) {
    Slot slot;
    synchronized (this) {
      slot = current;
      slot.calls++;
    }
    try {
      return call.apply(slot.replicator);
    } finally {
      boolean retired;
      synchronized (this) {
        slot.calls--;
        retired = slot.calls == 0 && retiring.remove(slot);
      }
      if (retired) {
        close(slot);
      }
    }
  }

  @Override
  public ReplicationResult replicate(
      String sourceRegistry, Entity entity, ReplicationProgress progress) {
    return call(replicator -> replicator.replicate(sourceRegistry, entity, progress));
  }

  @Override
  public void deleteManifest(String repository, String digest) {
    call(replicator -> {
      replicator.deleteManifest(repository, digest);
      return null;
    });
  }

  @Override
  public boolean deleteTag(String repository, String tag) {
    return call(replicator -> replicator.deleteTag(repository, tag));
  }

  @Override
  public void edgeRepositories(Set<String> repositories) {
    call(replicator -> {
      replicator.edgeRepositories(repositories);
      return null;
    });
  }

  @Override
  public Optional<ReferrersResult> replicateReferrers(String sourceRegistry, String repository,
      String digest, Optional<String> recorded, long pass, ReplicationProgress progress) {
    return call(replicator -> replicator.replicateReferrers(sourceRegistry, repository, digest,
        recorded, pass, progress));
  }

  @Override
  public void deleteReferrers(String repository, String digest, Predicate<String> stillDesired) {
    call(replicator -> {
      replicator.deleteReferrers(repository, digest, stillDesired);
      return null;
    });
  }

  /** Closes the current replicator and those retiring, whatever is still in flight on them. */
  @Override
  public void close() {
    List<Slot> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(retiring);
      all.add(current);
      retiring.clear();
    }
    all.forEach(SwitchableReplicator::close);
  }

  private static void close(Slot slot) {
    try {
      slot.replicator.close();
    } finally {
      try {
        slot.release.close();
      } catch (Exception e) {
        log.warn("closing a replaced edge registry's client: {}", e.toString());
      }
    }
  }
}
