package dev.satellite.registry;

import dev.satellite.core.Entity;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.ReplicationResult;
import dev.satellite.core.Replicator;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.TransferDeferredException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The core {@link Replicator} over HTTP: copies each entity from its group's upstream registry to
 * the edge registry with an {@link ImageCopier}, and deletes from the edge.
 *
 * <p>Pull and push are separate clients. The pull side is a resolver from a group's {@code
 * registry} value (as written in the group state, e.g. {@code https://harbor.example.com}) to a
 * client built with that registry's own credentials and TLS; the push side is the one edge client.
 * Credentials of one side never reach the other. Each entity is copied by digest into the same
 * repository path at the edge and tagged with its tag.
 *
 * <p>Blobs shared between images are transferred once per edge: the copier mounts a blob from
 * another edge repository known to hold it. What it learns while copying lives in memory only; the
 * reconciler's {@link #edgeRepositories} hint (the repositories its checkpoint and the group states
 * name) restores that knowledge in a fresh process, at the cost of at most {@link
 * ImageCopier.Builder#maxMountProbes} {@code HEAD} requests to the edge per blob missing at the
 * target repository (see {@link ImageCopier} for the whole protocol).
 *
 * <pre>{@code
 * RegistryClient upstream = RegistryClient.builder("https://harbor.example.com")
 *     .credentials(Credentials.basic(user, password)).build();
 * RegistryClient edge = RegistryClient.builder("http://127.0.0.1:5000").build();
 * Replicator replicator = new RegistryReplicator(registry -> upstream, edge);
 * }</pre>
 *
 * <p>Thread-safe when the resolver is. Close it to stop the copier it created.
 */
public final class RegistryReplicator implements Replicator, AutoCloseable {
  private final Function<String, RegistryClient> sources;
  private final RegistryClient edge;
  private final ImageCopier copier;
  private final boolean ownsCopier;

  /** With a default {@link ImageCopier} (4 blobs in parallel, indexes copied whole). */
  public RegistryReplicator(Function<String, RegistryClient> sources, RegistryClient edge) {
    this(sources, edge, ImageCopier.builder().build(), true);
  }

  /** With this copier, which the caller keeps and closes. */
  public RegistryReplicator(
      Function<String, RegistryClient> sources, RegistryClient edge, ImageCopier copier) {
    this(sources, edge, copier, false);
  }

  private RegistryReplicator(
      Function<String, RegistryClient> sources,
      RegistryClient edge,
      ImageCopier copier,
      boolean ownsCopier) {
    this.sources = Objects.requireNonNull(sources, "sources");
    this.edge = Objects.requireNonNull(edge, "edge");
    this.copier = Objects.requireNonNull(copier, "copier");
    this.ownsCopier = ownsCopier;
  }

  /**
   * Copies {@code entity} from {@code sourceRegistry} to the edge.
   *
   * @throws SatelliteException naming the entity, the source and the edge, with the copier's
   *     failure ({@link RegistryException}, {@link DigestMismatchException}, ...) as cause; no tag
   *     was changed
   */
  @Override
  public ReplicationResult replicate(
      String sourceRegistry, Entity entity, ReplicationProgress progress) {
    RegistryClient source = source(sourceRegistry, entity);
    try {
      CopyResult r =
          copier.copy(CopyRequest.of(source, entity.repository(), Digest.parse(entity.digest()))
                  .to(edge, entity.repository())
                  .tags(List.of(entity.tag()))
                  .progress(progress));
      return r.transfer();
    } catch (TransferDeferredException e) {
      throw new TransferDeferredException(
          "copy " + entity + " from " + source.registry() + " to " + edge.registry(), e);
    } catch (SatelliteException e) {
      throw new SatelliteException(
          "copy " + entity + " from " + source.registry() + " to " + edge.registry() + ": "
              + e.getMessage(), e);
    }
  }

  /**
   * Passes {@code repositories} to the copier as mount candidates at the edge ({@link
   * ImageCopier#addMountCandidates}): a blob missing in the repository being copied is then looked
   * for ({@code HEAD}, at most {@link ImageCopier.Builder#maxMountProbes} repositories per blob)
   * and mounted from there before it is fetched from upstream. No request is made here.
   *
   * @throws IllegalArgumentException when a repository name is not valid
   */
  @Override
  public void edgeRepositories(Set<String> repositories) {
    copier.addMountCandidates(edge, repositories);
  }

  /**
   * Deletes manifest {@code digest} (and so every tag on it) from the edge; absent is fine.
   *
   * @throws SatelliteException when the edge refused or failed
   */
  @Override
  public void deleteManifest(String repository, String digest) {
    try {
      edge.deleteManifest(repository, Digest.parse(digest));
    } catch (RegistryException e) {
      if (e.statusCode().orElse(0) != 404) {
        throw e;
      }
    }
  }

  /**
   * Deletes tag {@code tag} from the edge.
   *
   * @return false when the edge registry does not support deleting tags
   * @throws SatelliteException when the edge refused or failed for another reason
   */
  @Override
  public boolean deleteTag(String repository, String tag) {
    return edge.deleteTag(repository, tag);
  }

  /** Closes the copier when this replicator created it; the clients stay open. */
  @Override
  public void close() {
    if (ownsCopier) {
      copier.close();
    }
  }

  private RegistryClient source(String sourceRegistry, Entity entity) {
    RegistryClient source;
    try {
      source = sources.apply(sourceRegistry);
    } catch (RuntimeException e) {
      throw new SatelliteException(
          "copy " + entity + ": no client for source registry '" + sourceRegistry + "': "
              + e.getMessage(), e);
    }
    if (source == null) {
      throw new SatelliteException(
          "copy " + entity + ": no client configured for source registry '"
              + sourceRegistry + "'");
    }
    return source;
  }
}
