package dev.satellite.core;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Moves images into the edge registry and removes them from it. The registry module's
 * {@code RegistryReplicator} does it over HTTP; tests use fakes.
 *
 * <p>Implementations are thread-safe: the reconciler may call them from several threads.
 *
 * <p><b>What a replicator must do.</b> Three methods: put an image in place ({@link #replicate}),
 * delete a manifest ({@link #deleteManifest}) and a tag ({@link #deleteTag}); that is all a
 * target such as an OCI image layout directory needs. The rest are defaults a replicator may
 * leave alone: referrers ({@link #replicateReferrers}, {@link #deleteReferrers}) for targets that
 * keep signatures and SBOMs beside images (an OCI layout can), and {@link #edgeRepositories}, an
 * advisory hint for registries that can link a blob across repositories. What is specific to a
 * registry (mounts, HEAD-then-skip, resumable uploads, the referrers API or its tag fallback) stays
 * behind these methods, in the registry module's {@code RegistryReplicator}.
 */
public interface Replicator {

  /**
   * Makes {@code entity.tag()} in {@code entity.repository()} at the edge resolve to
   * {@code entity.digest()}, pulling by digest from {@code sourceRegistry}. Returns what it took;
   * when the edge already had it, {@link ReplicationResult#alreadyPresent()} is true.
   *
   * @param progress told of blob bytes as they are copied (may be called from other threads)
   * @throws SatelliteException when the image could not be put in place; nothing is then tagged
   */
  ReplicationResult replicate(String sourceRegistry, Entity entity, ReplicationProgress progress);

  /**
   * Deletes the manifest {@code digest} from {@code repository} at the edge (and with it every tag
   * that points at it). A manifest already absent is not an error.
   *
   * @throws SatelliteException when the registry refused or failed
   */
  void deleteManifest(String repository, String digest);

  /**
   * Removes only the tag {@code tag} from {@code repository} at the edge, leaving its manifest.
   *
   * @return false when the registry does not support deleting tags (the caller then keeps it)
   * @throws SatelliteException when the registry failed for another reason
   */
  boolean deleteTag(String repository, String tag);

  /**
   * Names repositories that may already hold blobs at the edge: a hint for cross-repository
   * mounts, so that a fresh process (after a restart or a crash) can link a blob the edge holds in
   * another repository, typically a base layer shared by many images, instead of transferring it
   * from upstream again. The reconciler calls it at the start of each pass's copies with the
   * repository of every entity its checkpoint records, then, as each group state is read and
   * before that group's copies start, with the repositories the group desires (a copy cut short
   * may have left blobs there). Calls add to what earlier calls named; a repository named may not
   * exist (yet, or any more).
   *
   * <p>Advisory: the default ignores it; an implementation must not do network requests here (it
   * is called on the reconciler's threads, between copies), and a failure is logged and ignored.
   */
  default void edgeRepositories(Set<String> repositories) {}

  /**
   * Puts the referrers of the image {@code repository@digest} (signatures, SBOMs, attestations,
   * which refer to it) at the edge next to it; called once per desired image and pass, after the
   * image is in place, also when the image itself was already there. {@code recorded} is the mark
   * the last successful call returned for this image (empty the first time, or after a failure):
   * an implementation should learn with as few requests as it can whether anything changed since.
   *
   * @param pass the same for every call of one pass and different for every other pass of the
   *     process, whichever reconciler runs it (implementations may share work within a pass)
   * @return what was done; empty when this replicator does not copy referrers (the default)
   * @throws SatelliteException when a referrer could not be put in place; the image itself stays,
   *     and the next pass tries again with no recorded mark
   */
  default Optional<ReferrersResult> replicateReferrers(
      String sourceRegistry,
      String repository,
      String digest,
      Optional<String> recorded,
      long pass,
      ReplicationProgress progress) {
    return Optional.empty();
  }

  /**
   * Removes from the edge the referrers of the manifest {@code repository@digest}, which is about
   * to be deleted, and their own referrers, except those {@code stillDesired} accepts (digests
   * still desired as images of that repository). Called before {@link #deleteManifest}; the
   * default does nothing.
   *
   * @throws SatelliteException when the registry refused or failed (the manifest is then kept)
   */
  default void deleteReferrers(String repository, String digest, Predicate<String> stillDesired) {}
}
