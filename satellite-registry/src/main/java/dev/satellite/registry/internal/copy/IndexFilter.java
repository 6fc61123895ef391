package dev.satellite.registry.internal.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.Platform;
import dev.satellite.registry.internal.Json;
import java.io.IOException;
import java.util.List;

/**
 * Narrows a multi-arch index to the children whose platform matches one of the wanted platforms.
 *
 * <p>An index cannot be pushed with children missing (registries verify that every child exists),
 * so a filtered copy pushes a new index that lists only the kept children. Its bytes, and so its
 * digest, differ from the source index: everything else in the JSON is kept, but it is
 * re-serialized. When every child is kept the original index is returned unchanged.
 */
final class IndexFilter {

  private final List<Platform> wanted;

  IndexFilter(List<Platform> wanted) {
    this.wanted = List.copyOf(wanted);
  }

  boolean keeps(Descriptor child) {
    return child.platform().map(p -> wanted.stream().anyMatch(w -> w.matches(p))).orElse(false);
  }

  /**
   * The index with only matching children.
   *
   * @throws SatelliteException when no child matches
   */
  Manifest apply(Manifest index, String where) {
    List<Descriptor> children = index.children();
    if (children.stream().allMatch(this::keeps)) {
      return index;
    }
    if (children.stream().noneMatch(this::keeps)) {
      throw new SatelliteException(
          "index " + index.digest() + " at " + where + " has no child for platform(s) " + wanted
              + "; it offers " + children.stream().map(c -> c.platform().map(Platform::toString)
                  .orElse("(none)")).toList());
    }
    try {
      ObjectNode root = (ObjectNode) Json.read(index.bytes());
      ArrayNode kept = root.arrayNode();
      JsonNode manifests = root.get("manifests");
      for (int i = 0; i < children.size(); i++) {
        if (keeps(children.get(i))) {
          kept.add(manifests.get(i));
        }
      }
      root.set("manifests", kept);
      return Manifest.of(index.mediaType(), Json.write(root), index.digest().algorithm());
    } catch (IOException e) {
      throw new SatelliteException("filter index " + index.digest() + " at " + where + ": " + e, e);
    }
  }
}
