package dev.satellite.registry.internal.referrers;

import dev.satellite.core.SatelliteException;
import dev.satellite.registry.RegistryClient;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The tags of each source repository, listed once per pass: every image of a repository learns
 * from the same listing which referrers tags ({@code sha256-<hex>}, {@code .sig}, {@code .att},
 * {@code .sbom}) exist, so an image without any costs no request of its own. Listings of an
 * earlier pass are dropped when a later pass asks. Concurrent askers of one listing wait for the
 * one request. Thread-safe.
 */
final class TagListings {
  private final ConcurrentHashMap<String, CompletableFuture<Set<String>>> listings =
      new ConcurrentHashMap<>();
  private long pass = Long.MIN_VALUE;

  /**
   * The tags of {@code repository} at {@code source} as listed during {@code pass}.
   *
   * @throws dev.satellite.registry.RegistryException when the listing failed (not kept: the next
   *     asker lists again)
   */
  Set<String> tags(RegistryClient source, String repository, long pass) {
    synchronized (this) {
      if (pass != this.pass) {
        listings.clear();
        this.pass = pass;
      }
    }
    String key = source.registry() + "/" + repository;
    CompletableFuture<Set<String>> mine = new CompletableFuture<>();
    CompletableFuture<Set<String>> theirs = listings.putIfAbsent(key, mine);
    if (theirs == null) {
      try {
        mine.complete(Set.copyOf(source.listTags(repository)));
      } catch (RuntimeException e) {
        listings.remove(key, mine);
        mine.completeExceptionally(e);
        throw e;
      }
      return mine.join();
    }
    try {
      return theirs.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new SatelliteException("list tags of " + key + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SatelliteException("interrupted while waiting for the tags of " + key, e);
    }
  }
}
