package dev.satellite.registry.internal.copy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Repositories of each destination registry that may hold blobs this process has not seen there:
 * named by the application (a reconciler passes those of its checkpoint, so a restarted process
 * knows them) and refreshed when a mount from one of them succeeds. A blob missing from the target
 * repository, and not known in {@link BlobLocations}, is looked for in a few of them ({@link
 * MountProbe}) before it is fetched from the source.
 *
 * <p>{@link #rank Ranking} for a target repository: most leading path segments in common with it
 * first (for {@code team/web}, {@code team/app} comes before {@code other/app}: images of one
 * project tend to share base layers), then the most recently named or used first. Bounded: at
 * most {@code maxRepositories} per registry, the least recently named or used forgotten first.
 *
 * <p>Repositories this copier has {@link #copyingInto copied content into} are never offered:
 * every blob it placed or found there is in {@link BlobLocations}, so a {@code HEAD} there would
 * only repeat what is known. This is what keeps a cold sync from probing, for each new blob, the
 * repositories it is filling itself (named by the reconciler before their copies start). What such
 * a repository held before this process, under tags not copied now, is then not looked for; it is
 * transferred again if needed. Thread-safe.
 */
public final class MountCandidates {
  private final int maxRepositories;
  private final Map<String, LinkedHashSet<String>> byRegistry = new HashMap<>();
  private final Map<String, LinkedHashSet<String>> copiedIntoByRegistry = new HashMap<>();

  public MountCandidates(int maxRepositories) {
    if (maxRepositories < 1) {
      throw new IllegalArgumentException("maxRepositories must be >= 1: " + maxRepositories);
    }
    this.maxRepositories = maxRepositories;
  }

  /** Adds {@code repositories} of {@code registry}, in order, each as the most recent. */
  public synchronized void add(String registry, Collection<String> repositories) {
    LinkedHashSet<String> known = byRegistry.computeIfAbsent(registry, r -> new LinkedHashSet<>());
    for (String repository : repositories) {
      known.remove(repository);
      known.add(repository);
    }
    dropOldest(known);
  }

  private void dropOldest(LinkedHashSet<String> repositories) {
    var oldest = repositories.iterator();
    for (int excess = repositories.size() - maxRepositories; excess > 0; excess--) {
      oldest.next();
      oldest.remove();
    }
  }

  /**
   * Records that this copier is copying content into {@code repository} of {@code registry}, so
   * it is no longer offered as a candidate (see the class description). Bounded like the named
   * repositories: beyond {@code maxRepositories}, the least recently recorded is offered again.
   */
  synchronized void copyingInto(String registry, String repository) {
    LinkedHashSet<String> copied =
        copiedIntoByRegistry.computeIfAbsent(registry, r -> new LinkedHashSet<>());
    copied.remove(repository);
    copied.add(repository);
    dropOldest(copied);
  }

  /** Marks {@code repository} as just used (when it was named before). */
  synchronized void touch(String registry, String repository) {
    LinkedHashSet<String> known = byRegistry.get(registry);
    if (known != null && known.remove(repository)) {
      known.add(repository);
    }
  }

  /**
   * Up to {@code limit} repositories of {@code registry}, other than {@code target} and those this
   * copier copied into, best first.
   */
  synchronized List<String> rank(String registry, String target, int limit) {
    LinkedHashSet<String> known = byRegistry.get(registry);
    if (known == null || limit < 1) {
      return List.of();
    }
    Set<String> copied = copiedIntoByRegistry.getOrDefault(registry, new LinkedHashSet<>(0));
    String[] targetSegments = target.split("/");
    List<Ranked> ranked = new ArrayList<>(known.size());
    int recency = 0;
    for (String repository : known) {
      if (!repository.equals(target) && !copied.contains(repository)) {
        ranked.add(new Ranked(repository, sharedSegments(repository, targetSegments), recency));
      }
      recency++;
    }
    ranked.sort(
        Comparator.comparingInt(Ranked::shared).thenComparingInt(Ranked::recency).reversed());
    return ranked.stream().limit(limit).map(Ranked::repository).toList();
  }

  /** How many leading path segments {@code repository} has in common with the target's. */
  static int sharedSegments(String repository, String[] targetSegments) {
    String[] segments = repository.split("/");
    int shared = 0;
    while (shared < segments.length
        && shared < targetSegments.length
        && segments[shared].equals(targetSegments[shared])) {
      shared++;
    }
    return shared;
  }

  private record Ranked(String repository, int shared, int recency) {}
}
