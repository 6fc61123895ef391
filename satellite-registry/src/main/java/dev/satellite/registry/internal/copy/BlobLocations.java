package dev.satellite.registry.internal.copy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Remembers, per destination registry, which repositories are known to hold a blob (seen present,
 * uploaded or mounted there), so a later copy into another repository of the same registry can
 * mount the blob instead of transferring it. Bounded: the least recently used blobs are forgotten
 * beyond {@code maxBlobs}, and at most {@link #MAX_REPOSITORIES_PER_BLOB} repositories are kept per
 * blob. Thread-safe.
 *
 * <p>Knowledge may be stale (a repository can be deleted behind our back); callers treat a
 * candidate as a hint, try the mount, and {@link #forget} it when the registry does not mount.
 */
public final class BlobLocations {
  static final int MAX_REPOSITORIES_PER_BLOB = 8;

  private final Map<String, Set<String>> repositoriesByBlob;

  public BlobLocations(int maxBlobs) {
    if (maxBlobs < 1) {
      throw new IllegalArgumentException("maxBlobs must be >= 1: " + maxBlobs);
    }
    this.repositoriesByBlob =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > maxBlobs;
          }
        };
  }

  /** Records that {@code repository} of {@code registry} holds {@code digest}. */
  public synchronized void remember(String registry, String digest, String repository) {
    Set<String> repos =
        repositoriesByBlob.computeIfAbsent(key(registry, digest), k -> new LinkedHashSet<>());
    repos.remove(repository);
    repos.add(repository);
    if (repos.size() > MAX_REPOSITORIES_PER_BLOB) {
      repos.remove(repos.iterator().next());
    }
  }

  /** A repository of {@code registry} other than {@code except} known to hold {@code digest}. */
  public synchronized Optional<String> mountSource(String registry, String digest, String except) {
    Set<String> repos = repositoriesByBlob.get(key(registry, digest));
    if (repos == null) {
      return Optional.empty();
    }
    String newest = null;
    for (String repo : repos) {
      if (!repo.equals(except)) {
        newest = repo;
      }
    }
    return Optional.ofNullable(newest);
  }

  /** Whether {@code repository} of {@code registry} is believed to hold {@code digest}. */
  synchronized boolean holds(String registry, String digest, String repository) {
    Set<String> repos = repositoriesByBlob.get(key(registry, digest));
    return repos != null && repos.contains(repository);
  }

  /** Drops the belief that {@code repository} of {@code registry} holds {@code digest}. */
  public synchronized void forget(String registry, String digest, String repository) {
    String key = key(registry, digest);
    Set<String> repos = repositoriesByBlob.get(key);
    if (repos != null && repos.remove(repository) && repos.isEmpty()) {
      repositoriesByBlob.remove(key);
    }
  }

  synchronized int size() {
    return repositoriesByBlob.size();
  }

  private static String key(String registry, String digest) {
    return registry + "|" + digest;
  }
}
