package dev.satellite.registry.internal.referrers;

import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.CopyResult;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.Referrer;
import dev.satellite.registry.Referrers;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.internal.ManifestJson;
import dev.satellite.registry.internal.copy.CopyEngine;
import dev.satellite.registry.internal.referrers.UpstreamReferrers.Found;
import dev.satellite.registry.internal.referrers.UpstreamReferrers.Scan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Copies the referrers of an image that is already at the destination, from the same source
 * repository to the same destination repository, and removes them with it.
 *
 * <p><b>Copy.</b> Level by level from the image (and, for an index, each of its children, as
 * the copy engine placed or found the image, else as the destination's manifest lists them):
 * the referrers of each node ({@link UpstreamReferrers}) are copied, each manifest byte for byte
 * with its blobs the cheapest way ({@link CopyEngine}, {@code HEAD}-then-skip); a listed referrer
 * is pushed by digest with its {@code subject} kept (its subject must be the node it was listed
 * for), a cosign tag under its tag. Then their own referrers, down to {@link Referrers#MAX_DEPTH}
 * levels. When the destination did not answer a referrer's {@code PUT} with {@code OCI-Subject},
 * the node's referrers tag is created or merged ({@link FallbackIndex}).
 *
 * <p><b>Warm passes.</b> The result carries a mark ({@link ReferrerMark}) to record. Given it
 * back while it is younger than {@link Referrers#recheckInterval()}, nothing is asked. Once it is
 * older, only the probes are made (the repository's tag listing, shared by its images, then one
 * {@code HEAD} per referrers tag that exists, or one referrers API request per node) and, when
 * their fingerprint is the recorded one, nothing else: the mark is renewed with the time.
 *
 * <p><b>Removal.</b> {@link #delete} removes, before its image goes, every referrer the
 * destination lists for it (referrers tag or API) and its cosign tags, their own referrers first,
 * then the image's referrers tag.
 */
public final class ReferrerSync {
  private final Referrers options;
  private final CopyEngine engine;
  private final UpstreamReferrers upstream;
  private final FallbackIndex fallback;
  private final Clock clock;
  private final ConcurrentHashMap<String, Boolean> edgeReportsSubject = new ConcurrentHashMap<>();

  /** @param clock what the time of a look at the referrers (a mark's age) is read from */
  public ReferrerSync(Referrers options, CopyEngine engine, Duration turnWait, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.engine = engine;
    this.upstream = new UpstreamReferrers(options);
    this.fallback = new FallbackIndex(turnWait);
  }

  /**
   * What one call did.
   *
   * @param copied referrer manifests put at the destination (pushed, or tagged there)
   * @param mark what to record and hand back on the next pass
   * @param unchanged the recorded mark was young enough, or the probes matched it: nothing
   *     else was asked
   */
  public record Outcome(int copied, String mark, boolean unchanged) {}

  /**
   * Copies the referrers of {@code source/repository@image} to {@code destination/repository}
   * unless {@code recorded} is younger than the recheck interval or the probes say they did not
   * change since.
   *
   * @param pass calls with the same pass share tag listings
   * @throws SatelliteException naming the referrer and what failed; what was copied stays
   */
  public Outcome copy(
      RegistryClient source,
      RegistryClient destination,
      String repository,
      Digest image,
      Optional<String> recorded,
      long pass,
      ReplicationProgress progress) {
    Instant now = clock.instant();
    if (recorded.isPresent()
        && ReferrerMark.freshAt(recorded.get(), now, options.recheckInterval())) {
      return new Outcome(0, recorded.get(), true);
    }
    Optional<ReferrerMark> mark = recorded.flatMap(ReferrerMark::parse);
    if (mark.isPresent()) {
      List<String> probes = new ArrayList<>();
      for (Digest node : mark.get().nodes()) {
        probes.addAll(upstream.probe(source, repository, node, pass));
      }
      if (ReferrerMark.fingerprint(probes).equals(mark.get().fingerprint())) {
        return new Outcome(0, mark.get().checkedAt(now).text(), true);
      }
    }
    Walk walk = new Walk(source, destination, repository, pass, progress);
    walk.run(image);
    return new Outcome(walk.copied, ReferrerMark.of(walk.probes, now, walk.nodes).text(), false);
  }

  /** One copy of the referrers of one image. */
  private final class Walk {
    private final RegistryClient source;
    private final RegistryClient destination;
    private final String repository;
    private final long pass;
    private final ReplicationProgress progress;
    private final List<String> probes = new ArrayList<>();
    private final List<Digest> nodes = new ArrayList<>();
    private final Set<Digest> seen = new LinkedHashSet<>();
    private int copied;

    Walk(RegistryClient source, RegistryClient destination, String repository, long pass,
        ReplicationProgress progress) {
      this.source = source;
      this.destination = destination;
      this.repository = repository;
      this.pass = pass;
      this.progress = progress;
    }

    void run(Digest image) {
      List<Digest> level = new ArrayList<>();
      level.add(image);
      engine.knownChildren(image).orElseGet(() -> childrenAtDestination(image)).stream()
          .map(Descriptor::digest).forEach(level::add);
      seen.addAll(level);
      for (int depth = 1; depth <= Referrers.MAX_DEPTH && !level.isEmpty(); depth++) {
        List<Digest> next = new ArrayList<>();
        for (Digest node : level) {
          nodes.add(node);
          Scan scan = upstream.scan(source, repository, node, pass);
          probes.addAll(scan.probes());
          List<Referrer> unlisted = new ArrayList<>();
          for (Found found : scan.found()) {
            if (found.cosignTag().isPresent()) {
              copyCosign(found.cosignTag().get(), found.digest());
            } else if (!copyListed(node, found.digest())) {
              unlisted.add(found.listed().orElseThrow());
            }
            if (seen.add(found.digest()) && depth < Referrers.MAX_DEPTH) {
              next.add(found.digest());
            }
          }
          if (!unlisted.isEmpty()) {
            fallback.add(destination, repository, node, unlisted);
          }
        }
        level = next;
      }
    }

    private List<Descriptor> childrenAtDestination(Digest image) {
      Manifest root = destination.getManifest(repository, image.toString());
      return root.isIndex() ? root.children() : List.of();
    }

    private void copyCosign(String tag, Digest digest) {
      CopyResult result = engine.copy(source, repository, digest, destination, repository,
          List.of(tag), progress);
      if (!result.alreadyPresent()) {
        copied++;
      }
    }

    /**
     * Puts a listed referrer of {@code subject} at the destination by digest; true when the
     * destination keeps its referrers list itself ({@code OCI-Subject}), so no referrers tag is
     * needed.
     */
    private boolean copyListed(Digest subject, Digest digest) {
      boolean reportsSubject =
          edgeReportsSubject.getOrDefault(destination.registry(), Boolean.FALSE);
      if (destination.headManifest(repository, digest.toString()).isPresent()) {
        return reportsSubject;
      }
      Manifest manifest = source.getManifest(repository, digest.toString());
      String what = "referrer " + repository + "@" + digest;
      Optional<Digest> named = ManifestJson.subject(manifest.bytes(), what);
      if (!named.equals(Optional.of(subject))) {
        throw new SatelliteException(what + " at " + source.registry() + " is listed as a"
            + " referrer of " + subject + " but its subject is "
            + named.map(Digest::toString).orElse("missing"));
      }
      engine.copyContent(source, repository, manifest, destination, repository, progress);
      boolean reported = destination.putReferrer(repository, manifest);
      edgeReportsSubject.put(destination.registry(), reported);
      copied++;
      return reported;
    }
  }

  /**
   * Removes from {@code destination/repository} the referrers of {@code image} (and of its
   * children when it is an index), their own referrers first, the cosign tags, then the referrers
   * tags. A referrer {@code keep} accepts (still desired as an image) stays, with its referrers.
   *
   * @return the number of manifests deleted
   * @throws dev.satellite.registry.RegistryException when the destination refused or failed
   */
  public int delete(RegistryClient destination, String repository, Digest image,
      Predicate<Digest> keep) {
    Set<String> tags = Set.copyOf(destination.listTags(repository));
    List<Digest> roots = new ArrayList<>();
    roots.add(image);
    Optional<Descriptor> head = destination.headManifest(repository, image.toString());
    if (head.isPresent() && MediaTypes.isIndex(head.get().mediaType())) {
      destination.getManifest(repository, image.toString()).children().stream()
          .map(Descriptor::digest).forEach(roots::add);
    }
    int deleted = 0;
    Set<Digest> seen = new LinkedHashSet<>(roots);
    for (Digest root : roots) {
      deleted += deleteReferrersOf(destination, repository, root, tags, keep, seen, 1);
    }
    return deleted;
  }

  private int deleteReferrersOf(RegistryClient destination, String repository, Digest subject,
      Set<String> tags, Predicate<Digest> keep, Set<Digest> seen, int depth) {
    List<Digest> referrers = new ArrayList<>();
    Optional<Manifest> index = tags.contains(ReferrerTags.fallback(subject))
        ? FallbackIndex.read(destination, repository, subject) : Optional.empty();
    index.ifPresent(i -> ManifestJson.referrers(i.bytes(), "referrers tag of " + subject)
        .forEach(r -> referrers.add(r.digest())));
    if (edgeReportsSubject.getOrDefault(destination.registry(), Boolean.FALSE)) {
      destination.listReferrers(repository, subject, Optional.empty())
          .ifPresent(list -> list.referrers().forEach(r -> referrers.add(r.digest())));
    }
    for (String tag : ReferrerTags.cosign(subject)) {
      if (tags.contains(tag)) {
        destination.headManifest(repository, tag).ifPresent(h -> referrers.add(h.digest()));
      }
    }
    int deleted = 0;
    for (Digest referrer : referrers) {
      if (!seen.add(referrer) || keep.test(referrer)) {
        continue;
      }
      if (depth < Referrers.MAX_DEPTH) {
        deleted += deleteReferrersOf(destination, repository, referrer, tags, keep, seen,
            depth + 1);
      }
      destination.deleteManifest(repository, referrer);
      deleted++;
    }
    if (index.isPresent()) {
      destination.deleteManifest(repository, index.get().digest());
      deleted++;
    }
    return deleted;
  }
}
