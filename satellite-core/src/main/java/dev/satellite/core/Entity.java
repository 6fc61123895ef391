package dev.satellite.core;

/**
 * One desired (or checkpointed) image tag: a repository, one tag in it, and the digest that tag
 * must resolve to. Entities are keyed by {@link #key() repository + tag}; the digest is the value.
 *
 * @param repository repository path without registry host, e.g. {@code library/nginx}
 * @param tag tag within the repository, e.g. {@code 1.27}
 * @param digest manifest digest the tag must point at, e.g. {@code sha256:...}
 */
public record Entity(String repository, String tag, String digest) {

  /** @throws IllegalArgumentException naming the value and the grammar rule it breaks */
  public Entity {
    OciGrammar.requireRepository(repository);
    OciGrammar.requireTag(tag);
    OciGrammar.requireDigest(digest);
  }

  /** The identity of this entity: {@code repository:tag}. */
  public String key() {
    return repository + ":" + tag;
  }

  @Override
  public String toString() {
    return repository + ":" + tag + "@" + digest;
  }
}
