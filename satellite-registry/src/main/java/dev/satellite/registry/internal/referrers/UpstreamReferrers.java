package dev.satellite.registry.internal.referrers;

import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.Referrer;
import dev.satellite.registry.ReferrerList;
import dev.satellite.registry.Referrers;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.internal.ManifestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the referrers of one manifest (a <em>node</em>: an image, a child of an index, or a
 * referrer itself) in a source repository, each way a registry may hold them:
 *
 * <ol>
 *   <li>the referrers API ({@code GET /v2/<name>/referrers/<digest>}), when the registry serves it
 *       (learned from its first answer: a 404 means it does not, and it is not asked again);
 *   <li>otherwise the referrers tag {@code <alg>-<hex>}, when the repository's tag listing has it;
 *   <li>cosign's {@code .sig}, {@code .att} and {@code .sbom} tags the listing has.
 * </ol>
 *
 * <p>Every answer also yields a <em>probe</em>, one line naming what was asked and the digest of
 * what was answered. {@link #probe} makes only those requests ({@code HEAD} for tags), so that a
 * warm pass learns whether anything changed without reading the referrers themselves: the tag
 * listing is shared by the images of a repository ({@link TagListings}), then one request per
 * referrers tag that exists, or one referrers API request per node.
 */
final class UpstreamReferrers {
  private final Referrers options;
  private final TagListings listings = new TagListings();
  private final ConcurrentHashMap<String, Boolean> servesApi = new ConcurrentHashMap<>();

  UpstreamReferrers(Referrers options) {
    this.options = options;
  }

  /** A referrer found: listed (API or referrers tag), or a cosign tag. */
  record Found(Digest digest, Optional<Referrer> listed, Optional<String> cosignTag) {}

  /** The referrers of one node and the probes that describe them. */
  record Scan(List<Found> found, List<String> probes) {}

  /** Reads the referrers of {@code node}: what to copy, and the probes. */
  Scan scan(RegistryClient source, String repository, Digest node, long pass) {
    List<Found> found = new ArrayList<>();
    List<String> probes = new ArrayList<>();
    Set<String> tags = listings.tags(source, repository, pass);
    Optional<ReferrerList> api = api(source, repository, node);
    if (api.isPresent()) {
      probes.add(apiProbe(node, api.get()));
      for (Referrer r : api.get().referrers()) {
        if (api.get().filtersApplied() || options.accepts(r.artifactType())) {
          found.add(new Found(r.digest(), Optional.of(r), Optional.empty()));
        }
      }
    } else if (tags.contains(ReferrerTags.fallback(node))) {
      String tag = ReferrerTags.fallback(node);
      Manifest index = source.getManifest(repository, tag);
      probes.add(tagProbe(tag, index.digest()));
      if (!index.isIndex()) {
        throw new SatelliteException("referrers tag " + repository + ":" + tag + " at "
            + source.registry() + " holds " + index.mediaType() + ", not an image index");
      }
      for (Referrer r : ManifestJson.referrers(index.bytes(), "referrers tag " + tag)) {
        if (options.accepts(r.artifactType())) {
          found.add(new Found(r.digest(), Optional.of(r), Optional.empty()));
        }
      }
    }
    for (String tag : ReferrerTags.cosign(node)) {
      if (tags.contains(tag)) {
        Optional<Descriptor> head = source.headManifest(repository, tag);
        if (head.isPresent()) {
          probes.add(tagProbe(tag, head.get().digest()));
          if (acceptsCosign(source, repository, head.get().digest())) {
            found.add(new Found(head.get().digest(), Optional.empty(), Optional.of(tag)));
          }
        }
      }
    }
    return new Scan(found, probes);
  }

  /** Only the probes of {@code node}: what {@link #scan} would give, without reading content. */
  List<String> probe(RegistryClient source, String repository, Digest node, long pass) {
    List<String> probes = new ArrayList<>();
    Set<String> tags = listings.tags(source, repository, pass);
    Optional<ReferrerList> api = api(source, repository, node);
    List<String> asked = new ArrayList<>();
    if (api.isPresent()) {
      probes.add(apiProbe(node, api.get()));
    } else {
      asked.add(ReferrerTags.fallback(node));
    }
    asked.addAll(ReferrerTags.cosign(node));
    for (String tag : asked) {
      if (tags.contains(tag)) {
        source.headManifest(repository, tag)
            .ifPresent(head -> probes.add(tagProbe(tag, head.digest())));
      }
    }
    return probes;
  }

  /** The API's answer, or empty when the registry does not serve the API. */
  private Optional<ReferrerList> api(RegistryClient source, String repository, Digest node) {
    if (Boolean.FALSE.equals(servesApi.get(source.registry()))) {
      return Optional.empty();
    }
    Optional<ReferrerList> answer =
        source.listReferrers(repository, node, options.singleType());
    servesApi.put(source.registry(), answer.isPresent());
    return answer;
  }

  private boolean acceptsCosign(RegistryClient source, String repository, Digest digest) {
    if (options.artifactTypes().isEmpty()) {
      return options.enabled();
    }
    Manifest manifest = source.getManifest(repository, digest.toString());
    String what = "cosign manifest " + repository + "@" + digest;
    Optional<String> type = ManifestJson.artifactType(manifest.bytes(), what)
        .filter(t -> !t.startsWith("application/vnd.oci.image.config")
            && !t.equals("application/vnd.oci.empty.v1+json"));
    if (type.isEmpty() && !manifest.isIndex() && !manifest.layers().isEmpty()) {
      type = Optional.of(manifest.layers().get(0).mediaType());
    }
    return options.accepts(type);
  }

  private static String apiProbe(Digest node, ReferrerList list) {
    return "referrers " + node + " " + list.answerDigest();
  }

  private static String tagProbe(String tag, Digest digest) {
    return "tag " + tag + " " + digest;
  }
}
