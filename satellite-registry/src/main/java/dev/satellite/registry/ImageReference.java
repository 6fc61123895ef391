package dev.satellite.registry;

import dev.satellite.core.OciGrammar;
import dev.satellite.registry.internal.ReferenceSyntax;
import dev.satellite.registry.internal.ReferenceSyntax.HostRule;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A reference to an image in a registry: {@code [http://|https://]host[:port]/path[:tag][@digest]}.
 *
 * <p>The first path component is always the registry (there are no Docker Hub defaults). It is
 * split as every reference in this library is ({@code ReferenceSyntax}): the first {@code @} starts
 * the digest, the last {@code :} after the last {@code /} the tag. The
 * repository, tag and digest are validated with the distribution grammar, so an invalid reference
 * fails here, before any request is made.
 *
 * @param scheme {@code "http"} or {@code "https"} when the reference was written with one
 * @param registry {@code host} or {@code host:port}
 * @param repository e.g. {@code library/nginx}
 * @param tag e.g. {@code 1.27}
 * @param digest the manifest digest; when present it is what {@link #reference()} resolves to
 */
public record ImageReference(
    Optional<String> scheme,
    String registry,
    String repository,
    Optional<String> tag,
    Optional<Digest> digest) {

  private static final Pattern HOST =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
              + "[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

  /**
   * @throws IllegalArgumentException naming the part that is invalid
   */
  public ImageReference {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
    scheme.ifPresent(
        s -> {
          if (!s.equals("http") && !s.equals("https")) {
            throw new IllegalArgumentException(
                "invalid scheme '" + s + "': only http and https are supported");
          }
        });
    requireRegistry(registry);
    OciGrammar.requireRepository(repository);
    tag.ifPresent(OciGrammar::requireTag);
  }

  /**
   * Parses a reference such as {@code http://127.0.0.1:5000/satellite/group-state/g1/state:latest}
   * or {@code harbor.example.com/library/nginx@sha256:...}.
   *
   * @throws IllegalArgumentException naming the reference and what is wrong with it
   */
  public static ImageReference parse(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("invalid image reference: empty");
    }
    try {
      return parseChecked(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid image reference '" + value + "': " + e.getMessage(), e);
    }
  }

  private static ImageReference parseChecked(String value) {
    ReferenceSyntax parts = ReferenceSyntax.split(value, HostRule.FIRST_COMPONENT);
    return new ImageReference(
        parts.scheme(),
        parts.host().orElseThrow(),
        parts.repository(),
        parts.tag(),
        parts.digest().map(Digest::parse));
  }

  /**
   * What to ask the registry for: the digest when there is one, else the tag.
   *
   * @throws IllegalStateException when the reference has neither
   */
  public String reference() {
    if (digest.isPresent()) {
      return digest.get().toString();
    }
    return tag.orElseThrow(
        () -> new IllegalStateException("image reference " + this + " has no tag and no digest"));
  }

  /** This reference pinned to {@code digest} (the tag is kept for display). */
  public ImageReference withDigest(Digest newDigest) {
    return new ImageReference(scheme, registry, repository, tag, Optional.of(newDigest));
  }

  /** This reference reached at another {@code host[:port]} (a host override). */
  public ImageReference withRegistry(String newRegistry) {
    return new ImageReference(scheme, newRegistry, repository, tag, digest);
  }

  /**
   * The registry base URL, {@code scheme://registry}, using {@code defaultScheme} when the
   * reference was written without one.
   */
  public String baseUrl(String defaultScheme) {
    return scheme.orElse(defaultScheme) + "://" + registry;
  }

  @Override
  public String toString() {
    return scheme.map(s -> s + "://").orElse("")
        + registry
        + "/"
        + repository
        + tag.map(t -> ":" + t).orElse("")
        + digest.map(d -> "@" + d).orElse("");
  }

  private static void requireRegistry(String registry) {
    if (registry == null || !HOST.matcher(registry).matches()) {
      throw new IllegalArgumentException(
          "invalid registry '" + registry + "': expected host or host:port");
    }
    int colon = registry.lastIndexOf(':');
    if (colon > registry.lastIndexOf(']')) {
      int port = Integer.parseInt(registry.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "invalid registry '" + registry + "': port out of range 1-65535");
      }
    }
  }
}
