package dev.satellite.registry.internal.state;

import java.util.regex.Pattern;

/** Keeps secrets embedded in URLs ({@code user:password@host}) out of messages. */
final class Redaction {
  private static final Pattern USER_INFO =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)?[^/@]*:[^/@]*@");

  private Redaction() {}

  /** {@code text} with a {@code user:password@} part replaced by {@code ***@}. */
  static String url(String text) {
    return text == null ? "null" : USER_INFO.matcher(text).replaceFirst("$1***@");
  }
}
