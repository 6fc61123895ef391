package dev.satellite.registry.internal.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code WWW-Authenticate} headers (RFC 7235) parameter by parameter: {@code Bearer
 * realm="https://h/token",service="registry",scope="repository:a:pull,push"}. Quoted strings may
 * contain commas and backslash escapes; one header may hold several challenges.
 */
public final class WwwAuthenticate {
  private final String input;
  private int pos;

  private WwwAuthenticate(String input) {
    this.input = input;
  }

  /** All challenges of all given header values, in order; malformed parts are skipped. */
  public static List<Challenge> parse(List<String> headerValues) {
    List<Challenge> challenges = new ArrayList<>();
    for (String value : headerValues) {
      new WwwAuthenticate(value).parseInto(challenges);
    }
    return challenges;
  }

  private void parseInto(List<Challenge> out) {
    skipSeparators();
    while (pos < input.length()) {
      String scheme = token();
      if (scheme.isEmpty()) {
        return;
      }
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        skipSeparators();
        int start = pos;
        String name = token();
        skipSpaces();
        if (name.isEmpty() || pos >= input.length() || input.charAt(pos) != '=') {
          pos = start;
          break;
        }
        pos++;
        skipSpaces();
        params.put(name.toLowerCase(Locale.ROOT), value());
      }
      out.add(new Challenge(scheme, params));
      skipSeparators();
    }
  }

  private String value() {
    if (pos < input.length() && input.charAt(pos) == '"') {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (pos < input.length() && input.charAt(pos) != '"') {
        char c = input.charAt(pos++);
        if (c == '\\' && pos < input.length()) {
          c = input.charAt(pos++);
        }
        sb.append(c);
      }
      pos++;
      return sb.toString();
    }
    return token();
  }

  private String token() {
    int start = pos;
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (c == ',' || c == '=' || c == '"' || Character.isWhitespace(c)) {
        break;
      }
      pos++;
    }
    return input.substring(start, pos);
  }

  private void skipSpaces() {
    while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
      pos++;
    }
  }

  private void skipSeparators() {
    while (pos < input.length()
        && (input.charAt(pos) == ',' || Character.isWhitespace(input.charAt(pos)))) {
      pos++;
    }
  }
}
