package dev.satellite.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Platform;
import dev.satellite.registry.Referrer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads descriptors out of manifest JSON; never writes manifests. */
public final class ManifestJson {

  private ManifestJson() {}

  public static Descriptor config(byte[] json, String what) {
    JsonNode config = read(json, what).get("config");
    if (config == null || !config.isObject()) {
      throw new SatelliteException(what + ": no \"config\" descriptor");
    }
    return descriptor(config, what + " config");
  }

  public static List<Descriptor> layers(byte[] json, String what) {
    return descriptors(read(json, what), "layers", what);
  }

  public static List<Descriptor> children(byte[] json, String what) {
    return descriptors(read(json, what), "manifests", what);
  }

  /** The top-level {@code mediaType} field, when the manifest has one. */
  public static Optional<String> mediaType(byte[] json, String what) {
    JsonNode type = read(json, what).get("mediaType");
    return type != null && type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
  }

  /**
   * The entries of a referrers list (the {@code manifests} of the index the referrers API or the
   * referrers tag schema holds), each with its {@code artifactType} and annotations.
   */
  public static List<Referrer> referrers(JsonNode manifests, String what) {
    List<Referrer> result = new ArrayList<>();
    for (int i = 0; i < manifests.size(); i++) {
      JsonNode node = manifests.get(i);
      String where = what + " manifests[" + i + "]";
      JsonNode type = node.get("artifactType");
      Map<String, String> annotations = new LinkedHashMap<>();
      node.path("annotations").fields()
          .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
      result.add(new Referrer(descriptor(node, where),
          type != null && type.isTextual() ? Optional.of(type.asText()) : Optional.empty(),
          annotations));
    }
    return List.copyOf(result);
  }

  /** As {@link #referrers(JsonNode, String)}, from the bytes of such an index. */
  public static List<Referrer> referrers(byte[] index, String what) {
    return referrers(descriptorArray(read(index, what), "manifests", what), what);
  }

  /** The digest of the manifest's {@code subject}, when it has one. */
  public static Optional<Digest> subject(byte[] json, String what) {
    JsonNode subject = read(json, what).get("subject");
    return subject == null || !subject.isObject()
        ? Optional.empty()
        : Optional.of(descriptor(subject, what + " subject").digest());
  }

  /**
   * What kind of artifact the manifest is: its {@code artifactType}, else its config's media type
   * (the OCI image spec's rule for artifacts packed as images); empty for an index without one.
   */
  public static Optional<String> artifactType(byte[] json, String what) {
    JsonNode root = read(json, what);
    JsonNode type = root.get("artifactType");
    if (type != null && type.isTextual()) {
      return Optional.of(type.asText());
    }
    JsonNode config = root.path("config").get("mediaType");
    return config != null && config.isTextual() ? Optional.of(config.asText()) : Optional.empty();
  }

  private static JsonNode read(byte[] json, String what) {
    try {
      JsonNode root = Json.read(json);
      if (root == null || !root.isObject()) {
        throw new SatelliteException(what + ": not a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new SatelliteException(what + ": invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SatelliteException(what + ": unreadable: " + e.getMessage(), e);
    }
  }

  private static JsonNode descriptorArray(JsonNode root, String field, String what) {
    JsonNode array = root.get(field);
    if (array == null || !array.isArray()) {
      throw new SatelliteException(what + ": no \"" + field + "\" array");
    }
    return array;
  }

  private static List<Descriptor> descriptors(JsonNode root, String field, String what) {
    JsonNode array = descriptorArray(root, field, what);
    List<Descriptor> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      result.add(descriptor(array.get(i), what + " " + field + "[" + i + "]"));
    }
    return List.copyOf(result);
  }

  private static Descriptor descriptor(JsonNode node, String what) {
    try {
      String mediaType = text(node, "mediaType");
      Digest digest = Digest.parse(text(node, "digest"));
      JsonNode size = node.get("size");
      if (size == null || !size.canConvertToLong()) {
        throw new IllegalArgumentException("no integer \"size\"");
      }
      return new Descriptor(mediaType, digest, size.asLong(), platform(node.get("platform")));
    } catch (IllegalArgumentException e) {
      throw new SatelliteException(what + ": invalid descriptor: " + e.getMessage(), e);
    }
  }

  private static Optional<Platform> platform(JsonNode node) {
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    JsonNode variant = node.get("variant");
    return Optional.of(
        new Platform(
            node.path("os").asText(null),
            node.path("architecture").asText(null),
            Optional.ofNullable(variant).map(JsonNode::asText)));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("no \"" + field + "\" string");
    }
    return value.asText();
  }
}
