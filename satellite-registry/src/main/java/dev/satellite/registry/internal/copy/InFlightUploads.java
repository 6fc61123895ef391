package dev.satellite.registry.internal.copy;

import dev.satellite.core.SatelliteException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Single flight per (destination registry, blob digest): the first copy that has to put a blob in
 * place claims it; another copy needing the same blob meanwhile gets the claim of the first and
 * waits for it, then mounts the blob from the repository where it landed instead of streaming it
 * from the source a second time. A claim whose owner failed wakes its waiters with nothing, and
 * one of them claims the blob anew. Thread-safe.
 */
final class InFlightUploads {
  private final ConcurrentHashMap<String, CompletableFuture<Optional<String>>> flights =
      new ConcurrentHashMap<>();

  /** Claims {@code digest} at {@code registry}, or joins the claim of the copy placing it now. */
  Claim claim(String registry, String digest) {
    String key = digest + "|" + registry;
    CompletableFuture<Optional<String>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<String>> theirs = flights.putIfAbsent(key, mine);
    return theirs == null ? new Claim(key, mine, true) : new Claim(key, theirs, false);
  }

  /** Either the right to place a blob ({@link #owner()}), or a place in the queue for it. */
  final class Claim {
    private final String key;
    private final CompletableFuture<Optional<String>> flight;
    private final boolean owner;

    private Claim(String key, CompletableFuture<Optional<String>> flight, boolean owner) {
      this.key = key;
      this.flight = flight;
      this.owner = owner;
    }

    boolean owner() {
      return owner;
    }

    /**
     * Owner only, exactly once: the blob is now in {@code repository} (empty: placing it failed).
     * Wakes the waiters and releases the claim.
     */
    void finish(Optional<String> repository) {
      flight.complete(repository);
      flights.remove(key, flight);
    }

    /**
     * Waits until the owner finished, at most until {@code deadlineNanos} ({@link
     * System#nanoTime()}).
     *
     * @return the repository that now holds the blob; empty when the owner failed or time ran out
     * @throws SatelliteException when interrupted (the interrupt flag is kept)
     */
    Optional<String> await(long deadlineNanos) {
      try {
        return flight.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SatelliteException(
            "interrupted while waiting for another copy to put blob " + key.replace("|", " at ")
                + " in place", e);
      }
    }
  }
}
