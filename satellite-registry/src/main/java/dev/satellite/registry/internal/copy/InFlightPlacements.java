package dev.satellite.registry.internal.copy;

import dev.satellite.core.SatelliteException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Single flight per (destination, content digest): one copy at a time puts a given thing in place
 * there. {@code BlobCopy} keys it by registry and blob; {@code CopyEngine} by repository and image,
 * so that copies of one image under different tags do not copy it twice at once; the referrers
 * tag writer by repository and tag, so that one process never writes one referrers index twice
 * at once. The owner hands
 * what it placed ({@code T}) to the copies that waited for it, so they need not ask the
 * destination for it.
 *
 * <p>For blobs: one copy at a time puts a given blob in
 * place (upload or mount, whatever the repository). A copy needing a blob that another copy is
 * placing gets that copy's claim and waits for it to end, then claims anew: by then the blob is
 * known to be at the destination, so it is found in place or mounted instead of streamed from
 * the source a second time. Placing one blob one repository at a time also spares the registry
 * concurrent rewrites of one repository's link to the blob (which a registry storing links as
 * plain files can expose as a moment where the blob is "unknown" to a manifest pushed then).
 * Thread-safe.
 *
 * @param <T> what the owner of a claim hands its waiters (the manifest an image copy put in place;
 *     nothing for a blob)
 */
public final class InFlightPlacements<T> {
  private final ConcurrentHashMap<String, CompletableFuture<T>> flights =
      new ConcurrentHashMap<>();

  /** Claims {@code digest} at {@code place}, or joins the claim of the copy placing it now. */
  public Claim claim(String place, String digest) {
    String key = digest + "|" + place;
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> theirs = flights.putIfAbsent(key, mine);
    return theirs == null ? new Claim(key, mine, true) : new Claim(key, theirs, false);
  }

  /** Either the right to place it ({@link #owner()}), or a place in the queue for it. */
  public final class Claim {
    private final String key;
    private final CompletableFuture<T> flight;
    private final boolean owner;

    private Claim(String key, CompletableFuture<T> flight, boolean owner) {
      this.key = key;
      this.flight = flight;
      this.owner = owner;
    }

    public boolean owner() {
      return owner;
    }

    /**
     * Owner only, exactly once, placed or not: releases the claim and wakes the waiters, handing
     * them {@code placed} (null when nothing was placed).
     */
    public void finish(T placed) {
      flights.remove(key, flight);
      flight.complete(placed);
    }

    /**
     * Waits until the owner finished, at most until {@code deadlineNanos} ({@link
     * System#nanoTime()}).
     *
     * @return what the owner placed; empty when it placed nothing or the deadline passed first
     * @throws SatelliteException when interrupted (the interrupt flag is kept)
     */
    public Optional<T> await(long deadlineNanos) {
      try {
        return Optional.ofNullable(
            flight.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException | ExecutionException e) {
        return Optional.empty(); // the caller decides what to do once the deadline has passed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SatelliteException(
            "interrupted while waiting for another copy to put "
                + key.replace("|", " in place at "), e);
      }
    }
  }
}
