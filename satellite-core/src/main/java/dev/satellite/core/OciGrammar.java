package dev.satellite.core;

/**
 * The OCI distribution grammar for repository names, tags and digests, in one place.
 *
 * <ul>
 *   <li>repository: {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*},
 *       at most 255 characters;
 *   <li>tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}};
 *   <li>digest: {@code algorithm:hex}, where this library accepts {@code sha256} (64 lowercase hex
 *       digits) and {@code sha512} (128 lowercase hex digits).
 * </ul>
 *
 * <p>Each {@code require} method returns its argument when it is valid and otherwise throws an
 * {@link IllegalArgumentException} whose message names the value and the rule it breaks.
 */
public final class OciGrammar {
  public static final int MAX_REPOSITORY_LENGTH = 255;

  private OciGrammar() {}

  /*
   * The checks below are hand-written scanners equivalent to the regular expressions in the class
   * description (the tests compare them with those expressions): they run for every entity of a
   * checkpoint loaded at start-up, where a regex engine was the main cost.
   */

  public static boolean isRepository(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_REPOSITORY_LENGTH) {
      return false;
    }
    int i = 0;
    int n = value.length();
    while (true) {
      // path component: [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
      i = alphanumerics(value, i);
      if (i < 0) {
        return false;
      }
      while (i < n && value.charAt(i) != '/') {
        char c = value.charAt(i);
        if (c == '.') {
          i++;
        } else if (c == '_') {
          i += i + 1 < n && value.charAt(i + 1) == '_' ? 2 : 1;
        } else if (c == '-') {
          while (i < n && value.charAt(i) == '-') {
            i++;
          }
        } else {
          return false;
        }
        i = alphanumerics(value, i);
        if (i < 0) {
          return false;
        }
      }
      if (i == n) {
        return true;
      }
      i++; // the '/' between components
    }
  }

  /** Index after a run of at least one [a-z0-9] starting at {@code from}, or -1 when none. */
  private static int alphanumerics(String value, int from) {
    int i = from;
    while (i < value.length() && isLowerAlphanumeric(value.charAt(i))) {
      i++;
    }
    return i == from ? -1 : i;
  }

  private static boolean isLowerAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  public static boolean isTag(String value) {
    if (value == null || value.isEmpty() || value.length() > 128) {
      return false;
    }
    char first = value.charAt(0);
    if (first == '.' || first == '-' || !isTagCharacter(first)) {
      return false;
    }
    for (int i = 1; i < value.length(); i++) {
      if (!isTagCharacter(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isTagCharacter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '.' || c == '-';
  }

  public static boolean isDigest(String value) {
    if (value == null) {
      return false;
    }
    if (value.startsWith("sha256:")) {
      return isLowerHex(value, 7, 64);
    }
    if (value.startsWith("sha512:")) {
      return isLowerHex(value, 7, 128);
    }
    return false;
  }

  private static boolean isLowerHex(String value, int from, int digits) {
    if (value.length() != from + digits) {
      return false;
    }
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Returns {@code value} if it is a valid repository name, else throws naming the rule. */
  public static String requireRepository(String value) {
    if (!isRepository(value)) {
      throw new IllegalArgumentException(
          "invalid repository name " + quote(value) + ": must be lowercase path components "
              + "[a-z0-9] separated by '.', '_', '__' or '-', joined by '/', at most "
              + MAX_REPOSITORY_LENGTH + " characters");
    }
    return value;
  }

  /** Returns {@code value} if it is a valid tag, else throws naming the rule. */
  public static String requireTag(String value) {
    if (!isTag(value)) {
      throw new IllegalArgumentException(
          "invalid tag " + quote(value)
              + ": must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    }
    return value;
  }

  /** Returns {@code value} if it is a valid sha256 or sha512 digest, else throws naming the rule. */
  public static String requireDigest(String value) {
    if (!isDigest(value)) {
      throw new IllegalArgumentException(
          "invalid digest " + quote(value)
              + ": must be sha256:<64 lowercase hex digits> or sha512:<128 lowercase hex digits>");
    }
    return value;
  }

  private static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() > 300 ? value.substring(0, 300) + "..." : value;
    return "'" + shown + "'";
  }
}
