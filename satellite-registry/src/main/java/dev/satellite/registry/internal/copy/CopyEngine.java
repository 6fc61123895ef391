package dev.satellite.registry.internal.copy;

import dev.satellite.core.ReplicationProgress;
import dev.satellite.registry.CopyResult;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.DigestMismatchException;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.Platform;
import dev.satellite.registry.RegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The copy algorithm behind {@code ImageCopier}; see its Javadoc for the protocol. One instance
 * serves many copies, concurrently.
 *
 * <p>A tag missing at the destination makes one {@code HEAD} of the image by digest there: a copy
 * interrupted between the manifest's {@code PUT} by digest and the tag's (a crash), or another tag
 * of the same image copied before, left it in place. When it is, only the missing tags are {@code
 * PUT}, with the manifest this engine put in place or read most recently ({@code RecentManifests},
 * content-addressed), or else with the destination's own, read by digest and its digest checked:
 * nothing is read from the source and no blob is asked about. When it is not (404), the image is
 * copied. What the root placed, or found under a tag, is made of is kept for {@link
 * #knownChildren}, so the referrers walk that follows a copy does not read it back. Copies of one
 * image into one repository at the same time (tags of a group naming one digest) take turns under
 * one claim: the first asks for the manifest by digest and copies the image when missing; each
 * later one, once its turn comes (waiting at most {@code sharedUploadWait} in all), is handed the
 * manifest put in place and only {@code PUT}s its tags. So no copy of this engine reads a manifest
 * while another writes it: a registry storing its links as plain files (CNCF Distribution) can
 * answer such a read with a 500.
 * A copy into a repository tells the {@link
 * MountCandidates} not to offer it any more, since what the copy puts there is remembered in
 * {@link BlobLocations}.
 */
public final class CopyEngine {
  private final BoundedParallel parallel;
  private final BlobCopy blobCopy;
  private final Optional<IndexFilter> filter;
  private final MountCandidates candidates;
  private final Duration sharedWait;
  private final InFlightPlacements<Manifest> imagesInFlight = new InFlightPlacements<>();
  private final RecentManifests recent = new RecentManifests();

  /**
   * @param platforms empty to copy indexes whole
   * @param locations where blobs are known to be, learned while copying
   * @param candidates repositories that may hold blobs, named by the application
   */
  public CopyEngine(
      Executor executor,
      int parallelism,
      List<Platform> platforms,
      BlobSettings blobSettings,
      BlobLocations locations,
      MountCandidates candidates) {
    this.parallel = new BoundedParallel(executor, parallelism);
    this.blobCopy = new BlobCopy(locations, candidates, blobSettings);
    this.filter = platforms.isEmpty() ? Optional.empty() : Optional.of(new IndexFilter(platforms));
    this.candidates = candidates;
    this.sharedWait = blobSettings.sharedUploadWait();
  }

  public CopyResult copy(
      RegistryClient source,
      String sourceRepository,
      Digest digest,
      RegistryClient destination,
      String destinationRepository,
      List<String> tags,
      ReplicationProgress progress) {
    CopyJob job =
        new CopyJob(
            source, sourceRepository, destination, destinationRepository, progress,
            new CopyTally());
    Map<String, Optional<Digest>> atDestination = headReferences(job, digest, tags);
    if (allResolveTo(atDestination, digest)) {
      return CopyResult.alreadyPresent(digest);
    }
    long deadline = System.nanoTime() + sharedWait.toNanos();
    Manifest handedOver = null; // the root an earlier turn put in place
    while (System.nanoTime() - deadline < 0) {
      InFlightPlacements<Manifest>.Claim claim = imagesInFlight.claim(job.to(), digest.toString());
      if (claim.owner()) {
        Manifest root = handedOver;
        try {
          if (root == null) {
            root = place(job, digest, tags, atDestination);
          }
          return tag(job, tags, atDestination, root);
        } finally {
          claim.finish(root);
        }
      }
      handedOver = claim.await(deadline).orElse(handedOver);
    }
    return tag(job, tags, atDestination,
        handedOver != null ? handedOver : place(job, digest, tags, atDestination));
  }

  /**
   * Copies everything {@code manifest} (already read from the source, its digest checked)
   * references to the destination repository, each blob and child the cheapest way, and leaves
   * the manifest itself to the caller: a referrer is then pushed so that the destination's answer
   * about its {@code subject} can be read.
   */
  public CopyResult copyContent(
      RegistryClient source,
      String sourceRepository,
      Manifest manifest,
      RegistryClient destination,
      String destinationRepository,
      ReplicationProgress progress) {
    CopyJob job =
        new CopyJob(
            source, sourceRepository, destination, destinationRepository, progress,
            new CopyTally());
    candidates.copyingInto(destination.registry(), destinationRepository);
    copyContent(job, manifest);
    return job.tally().result(manifest.digest());
  }

  /**
   * Makes sure the image is at the destination by digest: found there (only asked when there are
   * tags; without, the {@code HEAD} of the digest said it is not), or copied: the source manifest
   * by digest, its content, then the manifest by digest. Returns the root manifest now in place
   * (with a platform filter, the filtered index).
   */
  private Manifest place(
      CopyJob job, Digest digest, List<String> tags, Map<String, Optional<Digest>> atDestination) {
    if (!tags.isEmpty()) {
      Optional<Manifest> placed = placedByDigest(job, digest);
      if (placed.isPresent()) {
        return placed.get();
      }
    }
    Manifest root = job.source().getManifest(job.sourceRepository(), digest.toString());
    requireDigest(root, digest, job);
    if (root.isIndex() && filter.isPresent()) {
      root = filter.get().apply(root, job.from());
      if (allResolveTo(atDestination, root.digest())) {
        return root;
      }
    }
    candidates.copyingInto(job.destination().registry(), job.destinationRepository());
    copyContent(job, root);
    job.destination().putManifest(job.destinationRepository(), root.digest().toString(), root);
    job.tally().manifestsPushed.incrementAndGet();
    recent.add(root);
    return root;
  }

  /**
   * The child manifests of root manifest {@code digest} (none for an image) when this engine put
   * it in place, read it, or found a tag on it recently. Says nothing of whether a given
   * destination still holds it.
   */
  public Optional<List<Descriptor>> knownChildren(Digest digest) {
    return recent.children(digest);
  }

  /** Puts {@code root}, in place by digest, under each tag that does not resolve to it yet. */
  private static CopyResult tag(
      CopyJob job, List<String> tags, Map<String, Optional<Digest>> atDestination,
      Manifest root) {
    if (allResolveTo(atDestination, root.digest())) {
      return CopyResult.alreadyPresent(root.digest());
    }
    for (String tag : tags) {
      if (!atDestination.get(tag).equals(Optional.of(root.digest()))) {
        job.destination().putManifest(job.destinationRepository(), tag, root);
      }
    }
    return job.tally().result(root.digest());
  }

  /**
   * The manifest {@code digest} when the destination repository holds it ({@code HEAD} by
   * digest), or empty when it answers 404. Its bytes are those this engine placed or read recently,
   * else the destination's, read by digest. With a platform filter, an index found there is not
   * used (it may be the unfiltered one, whose children were never copied): the copy then goes the
   * long way.
   *
   * @throws DigestMismatchException when the destination's bytes do not hash to {@code digest}
   */
  private Optional<Manifest> placedByDigest(CopyJob job, Digest digest) {
    Optional<Descriptor> head =
        job.destination().headManifest(job.destinationRepository(), digest.toString());
    if (head.isEmpty()
        || MediaTypes.isIndex(head.get().mediaType()) && filter.isPresent()) {
      return Optional.empty();
    }
    Optional<Manifest> known = recent.get(digest);
    if (known.isPresent()) {
      return known;
    }
    Manifest manifest =
        job.destination().getManifest(job.destinationRepository(), digest.toString());
    if (!manifest.digest().equals(digest)) {
      throw new DigestMismatchException(
          "GET manifest " + digest + " from " + job.to(), digest, manifest.digest());
    }
    recent.add(manifest);
    return manifest.isIndex() && filter.isPresent() ? Optional.empty() : Optional.of(manifest);
  }

  /**
   * What each tag (or, without tags, the digest itself) resolves to at the destination now. An
   * image manifest found under {@code digest} is remembered as such, for {@link #knownChildren}.
   */
  private Map<String, Optional<Digest>> headReferences(
      CopyJob job, Digest digest, List<String> tags) {
    Map<String, Optional<Digest>> found = new LinkedHashMap<>();
    List<String> references = tags.isEmpty() ? List.of(digest.toString()) : tags;
    for (String reference : references) {
      Optional<Descriptor> head =
          job.destination().headManifest(job.destinationRepository(), reference);
      head.filter(h -> h.digest().equals(digest) && !MediaTypes.isIndex(h.mediaType()))
          .ifPresent(h -> recent.addImage(digest));
      found.put(reference, head.map(Descriptor::digest));
    }
    return found;
  }

  private static boolean allResolveTo(Map<String, Optional<Digest>> found, Digest digest) {
    return found.values().stream().allMatch(d -> d.equals(Optional.of(digest)));
  }

  /**
   * Copies everything {@code manifest} references: an image's blobs (in parallel), or an index's
   * children one after the other (each child's blobs, then the child manifest by digest; a child
   * already at the destination is skipped whole). The manifest itself is left to the caller, so it
   * always lands after its content.
   */
  private void copyContent(CopyJob job, Manifest manifest) {
    if (!manifest.isIndex()) {
      List<Descriptor> blobs = distinctByDigest(manifest.blobs());
      parallel.run(blobs, blob -> blobCopy.copy(job, blob));
      return;
    }
    for (Descriptor child : manifest.children()) {
      if (job.destination().headManifest(job.destinationRepository(), child.digest().toString())
          .isPresent()) {
        job.tally().manifestsSkipped.incrementAndGet();
        continue;
      }
      Manifest childManifest =
          job.source().getManifest(job.sourceRepository(), child.digest().toString());
      requireDigest(childManifest, child.digest(), job);
      copyContent(job, childManifest);
      job.destination()
          .putManifest(job.destinationRepository(), child.digest().toString(), childManifest);
      job.tally().manifestsPushed.incrementAndGet();
    }
  }

  private static List<Descriptor> distinctByDigest(List<Descriptor> blobs) {
    Map<Digest, Descriptor> unique = new LinkedHashMap<>();
    blobs.forEach(b -> unique.putIfAbsent(b.digest(), b));
    return new ArrayList<>(unique.values());
  }

  private static void requireDigest(Manifest manifest, Digest expected, CopyJob job) {
    if (!manifest.digest().equals(expected)) {
      throw new DigestMismatchException(
          "GET manifest " + expected + " from " + job.from(), expected, manifest.digest());
    }
  }
}
