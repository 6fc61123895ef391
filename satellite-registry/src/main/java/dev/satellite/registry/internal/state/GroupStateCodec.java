package dev.satellite.registry.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import dev.satellite.core.OciGrammar;
import dev.satellite.core.RejectedEntry;
import dev.satellite.core.SatelliteException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The group state {@code artifacts.json}: {@code {"group": "g1", "registry": "https://h",
 * "artifacts": [{"repository": "library/nginx", "tag": ["1.27"], "digest": "sha256:..", "type":
 * "IMAGE", "deleted": false, "labels": null}]}}.
 *
 * <p>Decoding yields one {@link Entity} per tag. An artifact with no tags or {@code "deleted":
 * true} is not desired. An artifact that breaks the distribution grammar, or has a field of the
 * wrong type, becomes a {@link RejectedEntry} per tag with its reason, and the rest of the group
 * proceeds; so does a repository:tag listed twice with different digests. Problems with the
 * document itself (not JSON, wrong top-level types, no registry while images are desired) fail the
 * whole document. Unknown fields are ignored.
 *
 * <p>Ground Control does not check what it publishes: entries may come without a digest, or with a
 * placeholder such as {@code "sha256:test123"}. Given a {@link TagResolver}, such an entry with a
 * valid repository and tag is looked up by tag at the group's registry and becomes an entity at
 * the digest found (listed in {@link GroupState#resolvedByTag()}); a tag that cannot be looked up
 * is a rejected entry of its own. Without one, the entry is rejected as before.
 */
public final class GroupStateCodec {
  private static final int MAX_RAW_VALUE = 256;

  private GroupStateCodec() {}

  /** One artifact entry to publish: every tag points at {@code digest}. */
  public record Artifact(String repository, List<String> tags, String digest) {
    public Artifact {
      OciGrammar.requireRepository(repository);
      tags = List.copyOf(tags);
      tags.forEach(OciGrammar::requireTag);
      OciGrammar.requireDigest(digest);
    }
  }

  /** Looks up the manifest digest a tag has now, for entries published without a valid one. */
  @FunctionalInterface
  public interface TagResolver {
    /**
     * @param sourceRegistry the group's registry base URL ({@link GroupState#sourceRegistry()})
     * @return the digest {@code repository:tag} points at there
     * @throws RuntimeException saying why it could not be looked up (404 included)
     */
    String digest(String sourceRegistry, String repository, String tag);
  }

  /**
   * Decodes a group state whose entries must carry valid digests (an entry without one is
   * rejected).
   *
   * @param ref the reference the document was read from; becomes {@link GroupState#ref()}
   * @param resolver settles the {@code registry} URL into {@link GroupState#sourceRegistry()}
   * @throws SatelliteException naming {@code ref} when the document itself is unusable
   */
  public static GroupState decode(String ref, byte[] json, StateReferenceResolver resolver) {
    return decode(ref, json, resolver, null);
  }

  /**
   * Decodes a group state; entries with a valid repository and tag but a missing or malformed
   * digest are looked up through {@code tags} (when it is not null) rather than rejected.
   *
   * @param ref the reference the document was read from; becomes {@link GroupState#ref()}
   * @param resolver settles the {@code registry} URL into {@link GroupState#sourceRegistry()}
   * @param tags looks up digests by tag; {@code null} rejects entries without a valid digest
   * @throws SatelliteException naming {@code ref} when the document itself is unusable
   */
  public static GroupState decode(
      String ref, byte[] json, StateReferenceResolver resolver, TagResolver tags) {
    String action = "read group state " + ref;
    ObjectNode root = StateJson.parseObject(action, json);
    List<JsonNode> artifacts;
    Optional<String> registry;
    try {
      artifacts = StateJson.array(root, "artifacts");
      registry = StateJson.optionalText(root, "registry").filter(text -> !text.isBlank());
    } catch (StateJson.BadField e) {
      throw new SatelliteException(action + ": artifacts.json: " + e.getMessage(), e);
    }
    Decoded decoded = new Decoded(tags != null);
    for (int i = 0; i < artifacts.size(); i++) {
      decoded.artifact("artifacts[" + i + "]", artifacts.get(i));
    }
    Map<String, Entity> entities = decoded.entities;
    if (registry.isEmpty() && !(entities.isEmpty() && decoded.unpinned.isEmpty())) {
      throw new SatelliteException(
          action + ": artifacts.json: required field 'registry' is missing");
    }
    String sourceRegistry;
    try {
      sourceRegistry = registry.map(resolver::registryBaseUrl).orElse(resolver.homeBaseUrl());
    } catch (SatelliteException e) {
      throw new SatelliteException(action + ": " + e.getMessage(), e);
    }
    decoded.unpinned.forEach(entry -> decoded.lookUp(entry, sourceRegistry, tags));
    return new GroupState(ref, sourceRegistry, List.copyOf(entities.values()), decoded.rejected,
        decoded.resolvedByTag());
  }

  /** The document for {@code group}, fields in Ground Control's order. */
  public static byte[] encode(String group, String registry, List<Artifact> artifacts) {
    ObjectNode root = StateJson.newObject();
    root.put("group", group);
    root.put("registry", registry);
    ArrayNode list = root.putArray("artifacts");
    for (Artifact artifact : artifacts) {
      ObjectNode node = list.addObject();
      node.put("repository", artifact.repository());
      artifact.tags().forEach(node.putArray("tag")::add);
      node.putNull("labels");
      node.put("type", "IMAGE");
      node.put("digest", artifact.digest());
      node.put("deleted", false);
    }
    return StateJson.write(root);
  }

  /** An entry with a valid repository and tag but no valid digest, to be looked up by tag. */
  private record Unpinned(
      String where, String repository, String tag, String rawDigest, String digestProblem) {}

  /** Entities and rejected entries collected artifact by artifact. */
  private static final class Decoded {
    final boolean lookUpTags;
    final Map<String, Entity> entities = new LinkedHashMap<>();
    final List<RejectedEntry> rejected = new ArrayList<>();
    final Set<String> conflicted = new HashSet<>();
    final List<Unpinned> unpinned = new ArrayList<>();
    final List<Entity> resolved = new ArrayList<>();

    Decoded(boolean lookUpTags) {
      this.lookUpTags = lookUpTags;
    }

    void artifact(String where, JsonNode node) {
      if (!node.isObject()) {
        reject(null, null, null, where + " must be a JSON object, got " + StateJson.kind(node));
        return;
      }
      String repository = raw(node, "repository");
      String digest = raw(node, "digest");
      List<String> tags;
      try {
        if (StateJson.optionalBoolean(node, "deleted")) {
          return;
        }
        tags = StateJson.stringList(node, "tag", true);
      } catch (StateJson.BadField e) {
        reject(repository, null, digest, where + ": " + e.getMessage());
        return;
      }
      Optional<String> repositoryProblem =
          problem(() -> OciGrammar.requireRepository(StateJson.requiredText(node, "repository")));
      Optional<String> digestProblem =
          problem(() -> OciGrammar.requireDigest(StateJson.requiredText(node, "digest")));
      for (String tag : tags) {
        Optional<String> tagProblem = problem(() -> OciGrammar.requireTag(tag));
        Optional<String> reason = lookUpTags
            ? repositoryProblem.or(() -> tagProblem)
            : repositoryProblem.or(() -> digestProblem).or(() -> tagProblem);
        if (reason.isPresent()) {
          reject(repository, tag, digest, where + ": " + reason.get());
        } else if (digestProblem.isPresent()) {
          unpinned.add(new Unpinned(where, repository, tag, digest, digestProblem.get()));
        } else {
          add(where, new Entity(repository, tag, digest));
        }
      }
    }

    /** Looks {@code entry} up by tag: an entity at the digest found, or a rejected entry. */
    void lookUp(Unpinned entry, String sourceRegistry, TagResolver tags) {
      Entity entity;
      try {
        String found = tags.digest(sourceRegistry, entry.repository(), entry.tag());
        entity = new Entity(entry.repository(), entry.tag(), found);
      } catch (RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        reject(entry.repository(), entry.tag(), entry.rawDigest(), entry.where() + ": "
            + entry.digestProblem() + ", and looking up the tag failed: " + why);
        return;
      }
      add(entry.where(), entity);
      resolved.add(entity);
    }

    /** The entities looked up by tag that were kept (not dropped as conflicting). */
    List<Entity> resolvedByTag() {
      return resolved.stream().filter(entity -> entities.get(entity.key()) == entity).toList();
    }

    /** Adds {@code entity}; a key listed with two digests rejects every listing of it. */
    private void add(String where, Entity entity) {
      String key = entity.key();
      Entity earlier = entities.get(key);
      if (conflicted.contains(key)
          || (earlier != null && !earlier.digest().equals(entity.digest()))) {
        String reason = where + ": " + key + " is listed more than once with different digests";
        if (earlier != null) {
          entities.remove(key);
          reject(earlier.repository(), earlier.tag(), earlier.digest(), reason);
        }
        conflicted.add(key);
        reject(entity.repository(), entity.tag(), entity.digest(), reason);
      } else {
        entities.putIfAbsent(key, entity);
      }
    }

    private void reject(String repository, String tag, String digest, String reason) {
      rejected.add(
          new RejectedEntry(truncate(repository), truncate(tag), truncate(digest), reason));
    }
  }

  private static Optional<String> problem(Runnable check) {
    try {
      check.run();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static String raw(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static String truncate(String value) {
    return value == null || value.length() <= MAX_RAW_VALUE
        ? value
        : value.substring(0, MAX_RAW_VALUE) + "...";
  }
}
