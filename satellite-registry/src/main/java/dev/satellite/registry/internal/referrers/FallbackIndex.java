package dev.satellite.registry.internal.referrers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.Referrer;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.Json;
import dev.satellite.registry.internal.copy.InFlightPlacements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Maintains the referrers tag {@code <alg>-<hex>} of a subject at a destination that does not
 * serve the referrers API: an OCI image index whose {@code manifests} list the referrers.
 *
 * <p>Every change is read, merge, write: the index the destination holds is read, entries are
 * added (when their digest is not listed yet) or removed (only those named), and the index is
 * written back only when it changed. Entries this writer did not add, and fields it does not know,
 * are kept as they were: another writer's referrers are never dropped. An index left with no
 * entries is deleted. All writers of this process take turns per repository and tag, the same
 * single-writer discipline as copies of one image ({@link InFlightPlacements}); a writer in
 * another process between the read and the write of a turn is not seen (the tag schema has no
 * conditional write).
 */
final class FallbackIndex {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Shared by every writer of the process, whichever replicator it belongs to. */
  private static final InFlightPlacements<Void> TURNS = new InFlightPlacements<>();
  private final Duration wait;

  FallbackIndex(Duration wait) {
    this.wait = wait;
  }

  /** Lists {@code referrers} in the referrers tag of {@code subject}; returns whether it wrote. */
  boolean add(RegistryClient edge, String repository, Digest subject, List<Referrer> referrers) {
    return change(edge, repository, subject, manifests -> {
      Set<String> listed = digests(manifests);
      for (Referrer referrer : referrers) {
        if (listed.add(referrer.digest().toString())) {
          manifests.add(entry(referrer));
        }
      }
      return manifests;
    });
  }

  /** Removes the entries of {@code digests}; the index goes when none is left. */
  boolean remove(RegistryClient edge, String repository, Digest subject, Set<Digest> digests) {
    Set<String> dropped = new HashSet<>();
    digests.forEach(d -> dropped.add(d.toString()));
    return change(edge, repository, subject, manifests -> {
      ArrayNode kept = NODES.arrayNode();
      manifests.forEach(m -> {
        if (!dropped.contains(m.path("digest").asText())) {
          kept.add(m);
        }
      });
      return kept;
    });
  }

  /** The index the referrers tag of {@code subject} holds at the edge, when there is one. */
  static Optional<Manifest> read(RegistryClient edge, String repository, Digest subject) {
    String tag = ReferrerTags.fallback(subject);
    try {
      Manifest index = edge.getManifest(repository, tag);
      if (!index.isIndex()) {
        throw new SatelliteException("referrers tag " + repository + ":" + tag + " at "
            + edge.registry() + " holds " + index.mediaType() + ", not an image index;"
            + " it is left as it is");
      }
      return Optional.of(index);
    } catch (RegistryException e) {
      if (e.statusCode().orElse(0) == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private boolean change(
      RegistryClient edge, String repository, Digest subject, UnaryOperator<ArrayNode> edit) {
    String place = edge.registry() + "/" + repository;
    String tag = ReferrerTags.fallback(subject);
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() - deadline < 0) {
      InFlightPlacements<Void>.Claim claim = TURNS.claim(place, tag);
      if (claim.owner()) {
        try {
          return write(edge, repository, subject, edit);
        } finally {
          claim.finish(null);
        }
      }
      claim.await(deadline);
    }
    return write(edge, repository, subject, edit);
  }

  private static boolean write(
      RegistryClient edge, String repository, Digest subject, UnaryOperator<ArrayNode> edit) {
    String tag = ReferrerTags.fallback(subject);
    Optional<Manifest> current = read(edge, repository, subject);
    ObjectNode index = current.map(m -> parse(m, repository + ":" + tag))
        .orElseGet(FallbackIndex::emptyIndex);
    ArrayNode before = (ArrayNode) index.get("manifests");
    ArrayNode after = edit.apply(before.deepCopy());
    if (after.equals(before)) {
      return false;
    }
    if (after.isEmpty()) {
      edge.deleteManifest(repository, current.orElseThrow().digest());
      return true;
    }
    index.set("manifests", after);
    edge.putManifest(repository, tag,
        Manifest.of(MediaTypes.OCI_INDEX, index.toString().getBytes(StandardCharsets.UTF_8)));
    return true;
  }

  private static ObjectNode parse(Manifest manifest, String what) {
    try {
      JsonNode json = Json.read(manifest.bytes());
      if (!json.isObject() || !json.path("manifests").isArray()) {
        throw new SatelliteException("referrers tag " + what + " is not an image index with a"
            + " \"manifests\" array; it is left as it is");
      }
      return (ObjectNode) json;
    } catch (IOException e) {
      throw new SatelliteException("referrers tag " + what + ": invalid JSON: " + e.getMessage(),
          e);
    }
  }

  private static ObjectNode emptyIndex() {
    ObjectNode index = NODES.objectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    index.putArray("manifests");
    return index;
  }

  private static Set<String> digests(ArrayNode manifests) {
    Set<String> digests = new HashSet<>();
    manifests.forEach(m -> digests.add(m.path("digest").asText()));
    return digests;
  }

  private static ObjectNode entry(Referrer referrer) {
    ObjectNode entry = NODES.objectNode();
    entry.put("mediaType", referrer.descriptor().mediaType());
    entry.put("digest", referrer.digest().toString());
    entry.put("size", referrer.descriptor().size());
    referrer.artifactType().ifPresent(type -> entry.put("artifactType", type));
    if (!referrer.annotations().isEmpty()) {
      ObjectNode annotations = entry.putObject("annotations");
      referrer.annotations().forEach(annotations::put);
    }
    return entry;
  }
}
