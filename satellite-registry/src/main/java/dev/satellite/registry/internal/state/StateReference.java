package dev.satellite.registry.internal.state;

import dev.satellite.core.OciGrammar;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.internal.ReferenceSyntax;
import dev.satellite.registry.internal.ReferenceSyntax.HostRule;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A reference found in (or to) a state artifact, split into its parts: {@code
 * [scheme://][host[:port]/]repository[:tag][@digest]}.
 *
 * <p>Split by {@link ReferenceSyntax} (as {@code ImageReference} is). The scheme is empty when the
 * reference did not name one; the host is empty when the first path component does not look like
 * a host (no '.', no ':', not {@code localhost}), the grammar's rule;
 * both are then filled in by {@link StateReferenceResolver}. Without tag or digest the tag is
 * {@code latest}; with both, the digest is what is pulled.
 *
 * @param scheme "http" or "https" when the reference names one
 * @param host host[:port], lowercase, when the reference names one
 * @param repository repository path, valid per the distribution grammar
 * @param tag tag, valid per the distribution grammar, when present
 * @param digest digest, valid per the distribution grammar, when present
 */
public record StateReference(
    Optional<String> scheme,
    Optional<String> host,
    String repository,
    Optional<String> tag,
    Optional<String> digest) {

  private static final String LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
  private static final Pattern HOST =
      Pattern.compile(
          "(?:" + LABEL + "(?:\\." + LABEL + ")*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");

  public StateReference {
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
  }

  /**
   * Splits {@code text} into its parts.
   *
   * @throws SatelliteException naming the reference and the part that breaks the grammar
   */
  public static StateReference parse(String text) {
    if (text == null || text.isBlank()) {
      throw new SatelliteException("invalid state reference: empty");
    }
    String context = "invalid state reference '" + Redaction.url(text) + "'";
    ReferenceSyntax parts = ReferenceSyntax.split(text.strip(), HostRule.WHEN_IT_LOOKS_LIKE_ONE);
    Optional<String> scheme = parts.scheme().map(value -> requireScheme(context, value));
    Optional<String> digest =
        parts.digest().map(value -> checked(context, OciGrammar::requireDigest, value));
    Optional<String> host = parts.host().map(value -> requireHost(context, value));
    Optional<String> tag = parts.tag().map(value -> checked(context, OciGrammar::requireTag, value));
    String repository = checked(context, OciGrammar::requireRepository, parts.repository());
    return new StateReference(scheme, host, repository, tag, digest);
  }

  /** The tag or digest to ask the registry for: the digest when present. */
  public String reference() {
    return digest.orElseGet(tag::orElseThrow);
  }

  /** This reference reached as {@code scheme://host}, keeping repository, tag and digest. */
  StateReference at(String newScheme, String newHost) {
    return new StateReference(
        Optional.of(newScheme), Optional.of(newHost), repository, tag, digest);
  }

  /** This reference pinned to {@code newDigest} (the tag is kept for display). */
  public StateReference withDigest(String newDigest) {
    return new StateReference(scheme, host, repository, tag, Optional.of(newDigest));
  }

  /** {@code scheme://host}, for a reference whose scheme and host are known. */
  public String baseUrl() {
    return scheme.orElseThrow() + "://" + host.orElseThrow();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    scheme.ifPresent(s -> out.append(s).append("://"));
    host.ifPresent(h -> out.append(h).append('/'));
    out.append(repository);
    tag.ifPresent(t -> out.append(':').append(t));
    digest.ifPresent(d -> out.append('@').append(d));
    return out.toString();
  }

  /** The scheme, lowercase, if it is http or https; else fails with {@code context} first. */
  static String requireScheme(String context, String scheme) {
    String lower = scheme.toLowerCase(Locale.ROOT);
    if (!lower.equals("http") && !lower.equals("https")) {
      throw new SatelliteException(
          context + ": unsupported scheme '" + scheme + "' (only http and https)");
    }
    return lower;
  }

  /** The host[:port], lowercase, if it is valid; else fails with {@code context} first. */
  static String requireHost(String context, String host) {
    if (!HOST.matcher(host).matches()) {
      throw new SatelliteException(
          context + ": invalid registry host '" + Redaction.url(host) + "'");
    }
    return host.toLowerCase(Locale.ROOT);
  }

  private static String checked(String context, UnaryOperator<String> rule, String value) {
    try {
      return rule.apply(value);
    } catch (IllegalArgumentException e) {
      throw new SatelliteException(context + ": " + e.getMessage(), e);
    }
  }
}
