package dev.satellite.registry.internal;

import java.util.Optional;

/**
 * The one splitter of image references, after the distribution reference grammar:
 *
 * <pre>
 * reference := [scheme "://"] [domain "/"] path [":" tag] ["@" digest]
 * </pre>
 *
 * <p>No part of a name, tag or digest may contain {@code @}, so the first {@code @} after the
 * scheme separates the digest (a second one makes the digest invalid). The tag is what follows the
 * last {@code :} after the last {@code /} (a port's {@code :} comes before a {@code /}). Whether the
 * first path component is the registry host depends on the caller: {@link HostRule#FIRST_COMPONENT}
 * always takes it as the host; {@link HostRule#WHEN_IT_LOOKS_LIKE_ONE} only when it contains a
 * {@code .} or a {@code :}, is {@code [IPv6]} or {@code localhost}, the grammar's own rule.
 *
 * <p>It splits only: the parts are returned as written, for the caller to validate (scheme, host,
 * repository, tag and digest) and to name in its errors.
 */
public record ReferenceSyntax(
    Optional<String> scheme,
    Optional<String> host,
    String repository,
    Optional<String> tag,
    Optional<String> digest) {

  /** How to tell whether the first path component is the registry host. */
  public enum HostRule {
    FIRST_COMPONENT,
    WHEN_IT_LOOKS_LIKE_ONE
  }

  /**
   * Splits {@code text} (already stripped of surrounding space).
   *
   * @throws IllegalArgumentException when {@code rule} is {@link HostRule#FIRST_COMPONENT} and
   *     there is no {@code host/repository}
   */
  public static ReferenceSyntax split(String text, HostRule rule) {
    String rest = text;
    Optional<String> scheme = Optional.empty();
    int schemeEnd = rest.indexOf("://");
    if (schemeEnd >= 0) {
      scheme = Optional.of(rest.substring(0, schemeEnd));
      rest = rest.substring(schemeEnd + 3);
    }
    Optional<String> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    Optional<String> host = Optional.empty();
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    if (rule == HostRule.FIRST_COMPONENT && slash <= 0) {
      throw new IllegalArgumentException("expected host[:port]/repository[:tag][@digest]");
    }
    if (rule == HostRule.FIRST_COMPONENT
        || scheme.isPresent()
        || (slash > 0 && looksLikeHost(first))) {
      host = Optional.of(first);
      rest = slash < 0 ? "" : rest.substring(slash + 1);
    }
    Optional<String> tag = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    return new ReferenceSyntax(scheme, host, rest, tag, digest);
  }

  private static boolean looksLikeHost(String component) {
    return component.contains(".")
        || component.contains(":")
        || component.startsWith("[")
        || component.equals("localhost");
  }
}
