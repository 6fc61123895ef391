package dev.satellite.core.internal;

import dev.satellite.core.GroupState;
import dev.satellite.core.StateSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;

/**
 * Reads the group states of a pass ahead of their copies, a few at a time on the given pool, in
 * the order of the satellite state: a pass over many groups that copies little is bound by these
 * reads (two requests each for a registry source), and one group after the other leaves the
 * source idle between them. Every group state is read once per pass, at most the pool's size at
 * a time; the copy phase waits for all of them ({@link #awaitRead}) before its first copy, since a
 * tag one group desires may be desired at another digest by a later group ({@link TagConflicts}).
 */
final class GroupStatePrefetch {
  private final Map<String, Future<GroupState>> reads = new LinkedHashMap<>();

  /** Starts reading every one of {@code refs} (each once) through {@code source} on {@code pool}. */
  GroupStatePrefetch(StateSource source, List<String> refs, SyncWorkers.Submitter pool) {
    for (String ref : refs) {
      reads.computeIfAbsent(ref, r -> pool.submit(() -> Objects.requireNonNull(
          source.fetchGroup(r), () -> "StateSource.fetchGroup returned null for " + r)));
    }
  }

  /**
   * Waits for every read; returns the group states that were read, by ref in the order given.
   * A failed read is left out; {@link #get} throws its failure.
   *
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  Map<String, GroupState> awaitRead() throws InterruptedException {
    Map<String, GroupState> states = new LinkedHashMap<>();
    for (Map.Entry<String, Future<GroupState>> read : reads.entrySet()) {
      try {
        states.put(read.getKey(), CopyPhase.result(read.getValue()));
      } catch (RuntimeException e) {
        // reported by the group's copy, which calls get
      }
    }
    return states;
  }

  /**
   * The group state of {@code ref}, waiting for its read.
   *
   * @throws RuntimeException the read's own failure, as the source threw it
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  GroupState get(String ref) throws InterruptedException {
    Future<GroupState> read = reads.get(ref);
    if (read == null) {
      throw new IllegalArgumentException("group " + ref + " was not read ahead");
    }
    return CopyPhase.result(read);
  }
}
