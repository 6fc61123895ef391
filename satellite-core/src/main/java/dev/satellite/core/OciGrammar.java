package dev.satellite.core;

import java.util.regex.Pattern;

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

  private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
  private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
  private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512_HEX = Pattern.compile("[a-f0-9]{128}");

  private OciGrammar() {}

  public static boolean isRepository(String value) {
    return value != null
        && value.length() <= MAX_REPOSITORY_LENGTH
        && REPOSITORY.matcher(value).matches();
  }

  public static boolean isTag(String value) {
    return value != null && TAG.matcher(value).matches();
  }

  public static boolean isDigest(String value) {
    if (value == null) {
      return false;
    }
    if (value.startsWith("sha256:")) {
      return SHA256_HEX.matcher(value.substring(7)).matches();
    }
    if (value.startsWith("sha512:")) {
      return SHA512_HEX.matcher(value.substring(7)).matches();
    }
    return false;
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
