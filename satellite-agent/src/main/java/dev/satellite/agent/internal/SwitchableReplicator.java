package dev.satellite.agent.internal;

import dev.satellite.core.Entity;
import dev.satellite.core.ReferrersResult;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.ReplicationResult;
import dev.satellite.core.Replicator;
import dev.satellite.registry.RegistryReplicator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@link Replicator} whose edge registry can be replaced while the satellite runs (Ground
 * Control's config names another {@code local_registry}): every call goes to the replicator
 * current when it is made. Replaced replicators are closed with this one, not at once, since a
 * copy in flight may still use theirs.
 */
public final class SwitchableReplicator implements Replicator, AutoCloseable {
  private volatile RegistryReplicator current;
  private final List<RegistryReplicator> replaced = new ArrayList<>();

  public SwitchableReplicator(RegistryReplicator initial) {
    this.current = initial;
  }

  /** Sends every later call to {@code next}. */
  public synchronized void switchTo(RegistryReplicator next) {
    replaced.add(current);
    current = next;
  }

  @Override
  public ReplicationResult replicate(
      String sourceRegistry, Entity entity, ReplicationProgress progress) {
    return current.replicate(sourceRegistry, entity, progress);
  }

  @Override
  public void deleteManifest(String repository, String digest) {
    current.deleteManifest(repository, digest);
  }

  @Override
  public boolean deleteTag(String repository, String tag) {
    return current.deleteTag(repository, tag);
  }

  @Override
  public void edgeRepositories(Set<String> repositories) {
    current.edgeRepositories(repositories);
  }

  @Override
  public Optional<ReferrersResult> replicateReferrers(String sourceRegistry, String repository,
      String digest, Optional<String> recorded, long pass, ReplicationProgress progress) {
    return current.replicateReferrers(sourceRegistry, repository, digest, recorded, pass,
        progress);
  }

  @Override
  public void deleteReferrers(String repository, String digest, Predicate<String> stillDesired) {
    current.deleteReferrers(repository, digest, stillDesired);
  }

  @Override
  public synchronized void close() {
    current.close();
    replaced.forEach(RegistryReplicator::close);
    replaced.clear();
  }
}
