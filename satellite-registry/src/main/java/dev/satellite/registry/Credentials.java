package dev.satellite.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * How a client authenticates to its registry: anonymously, or with a user name and password.
 *
 * <p>A password is sent as HTTP Basic only to the registry the client was built for, and to the
 * token service (realm) that registry names in its Bearer challenge; never to a redirect target on
 * another host. {@link #toString()} never shows it.
 */
public final class Credentials {
  private static final Credentials ANONYMOUS = new Credentials(null, null);

  private final String username;
  private final String password;

  private Credentials(String username, String password) {
    this.username = username;
    this.password = password;
  }

  /** No credentials: requests carry no Authorization header (anonymous tokens are still used). */
  public static Credentials anonymous() {
    return ANONYMOUS;
  }

  /**
   * A user name and password (or robot account secret).
   *
   * @throws IllegalArgumentException when the user name is blank or contains ':'
   */
  public static Credentials basic(String username, String password) {
    if (username == null || username.isBlank() || username.contains(":")) {
      throw new IllegalArgumentException("user name must be non-blank and contain no ':'");
    }
    return new Credentials(username, Objects.requireNonNull(password, "password"));
  }

  public boolean isAnonymous() {
    return username == null;
  }

  /** The user name; empty for anonymous. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** The password; empty for anonymous. A secret: never log it. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** Equal when the user name and password are (anonymous equals anonymous). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Credentials that
        && Objects.equals(username, that.username)
        && Objects.equals(password, that.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(username, password);
  }

  @Override
  public String toString() {
    return isAnonymous()
        ? "Credentials[anonymous]"
        : "Credentials[user=" + username + ", password=***]";
  }
}
