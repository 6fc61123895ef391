package dev.satellite.registry;

import dev.satellite.core.OciGrammar;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An image to list in a group state: a repository and the tags desired at the edge, optionally
 * pinned to a digest. Without a digest, {@link StatePublisher} resolves each tag to the digest it
 * points at in the source registry when publishing.
 *
 * @param repository e.g. {@code library/nginx}
 * @param tags at least one tag, e.g. {@code 1.27}, {@code latest}
 * @param digest the manifest digest all tags point at, when known
 */
public record StateImage(String repository, List<String> tags, Optional<Digest> digest) {

  /**
   * @throws IllegalArgumentException naming the value that breaks the distribution grammar
   */
  public StateImage {
    OciGrammar.requireRepository(repository);
    tags = List.copyOf(tags);
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("image " + repository + " needs at least one tag");
    }
    tags.forEach(OciGrammar::requireTag);
    Objects.requireNonNull(digest, "digest");
  }

  /** {@code repository} with {@code tags}, each resolved to its digest when published. */
  public static StateImage of(String repository, String... tags) {
    return new StateImage(repository, List.of(tags), Optional.empty());
  }

  /** {@code repository} with {@code tags}, all pointing at {@code digest}; nothing is resolved. */
  public static StateImage pinned(String repository, Digest digest, String... tags) {
    return new StateImage(repository, List.of(tags), Optional.of(digest));
  }
}
