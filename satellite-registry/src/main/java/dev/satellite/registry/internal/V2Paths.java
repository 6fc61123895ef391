package dev.satellite.registry.internal;

import dev.satellite.core.OciGrammar;
import dev.satellite.registry.Digest;
import okhttp3.HttpUrl;

/** URLs and token scopes of the distribution API, from validated names only. */
public final class V2Paths {
  private V2Paths() {}

  /** {@code /v2/<repository>/<kind>/<reference>}, e.g. {@code kind = "manifests"}. */
  public static HttpUrl url(HttpUrl base, String repository, String kind, String reference) {
    return base.newBuilder()
        .addPathSegment("v2")
        .addPathSegments(OciGrammar.requireRepository(repository))
        .addPathSegment(kind)
        .addPathSegment(reference)
        .build();
  }

  /** {@code /v2/<repository>/blobs/uploads/}. */
  public static HttpUrl uploads(HttpUrl base, String repository) {
    return base.newBuilder()
        .addPathSegment("v2")
        .addPathSegments(OciGrammar.requireRepository(repository))
        .addPathSegments("blobs/uploads/")
        .build();
  }

  /**
   * A tag or digest, validated.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static String requireReference(String reference) {
    if (reference != null && reference.contains(":")) {
      return Digest.parse(reference).toString();
    }
    return OciGrammar.requireTag(reference);
  }

  /** A tag, validated (a digest is refused). */
  public static String requireTag(String tag) {
    return OciGrammar.requireTag(tag);
  }

  /** A repository name, validated. */
  public static String requireRepository(String repository) {
    return OciGrammar.requireRepository(repository);
  }

  public static String pull(String repository) {
    return "repository:" + repository + ":pull";
  }

  public static String push(String repository) {
    return "repository:" + repository + ":pull,push";
  }

  public static String delete(String repository) {
    return "repository:" + repository + ":delete";
  }

  /** {@code <repository>:<tag>} or {@code <repository>@<digest>}, for messages. */
  public static String display(String repository, String reference) {
    return repository + (reference.contains(":") ? "@" : ":") + reference;
  }
}
