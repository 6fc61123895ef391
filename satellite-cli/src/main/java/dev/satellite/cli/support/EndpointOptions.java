package dev.satellite.cli.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach one side (source or destination): user and password, CA bundle, client certificate
 * and key, and the explicit insecure switch. The password never comes from the command line: it is
 * read from an environment variable, so it does not show in process listings or shell history.
 *
 * <p>For the prefix {@code source} the options are {@code --source-user}, {@code --source-ca},
 * {@code --source-cert}, {@code --source-key}, {@code --source-insecure-skip-verify}, and the
 * password variable is {@code SATELLITE_SOURCE_PASSWORD}.
 */
public record EndpointOptions(
    String side,
    Optional<String> user,
    Optional<String> password,
    Optional<Path> caFile,
    Optional<Path> certFile,
    Optional<Path> keyFile,
    boolean insecureSkipVerify) {

  /** The environment variable that carries this side's password. */
  public static String passwordVariable(String side) {
    return "SATELLITE_" + side.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD";
  }

  /**
   * The side's credentials: {@code user} (null for anonymous) with the password from its
   * environment variable; no TLS settings yet (see {@link #tls}).
   *
   * @throws UsageException when a user is given without the password variable
   */
  public static EndpointOptions of(String side, String user, Map<String, String> env) {
    Optional<String> password = Optional.ofNullable(env.get(passwordVariable(side)));
    if (user != null && password.isEmpty()) {
      throw new UsageException(
          "--" + side + "-user is set but the environment variable " + passwordVariable(side)
              + " is not");
    }
    return new EndpointOptions(side, Optional.ofNullable(user),
        user == null ? Optional.empty() : password, Optional.empty(), Optional.empty(),
        Optional.empty(), false);
  }

  /**
   * These credentials with TLS settings; each file may be null.
   *
   * @throws UsageException when a file is unreadable, or a certificate comes without its key (or
   *     the other way round)
   */
  public EndpointOptions tls(Path ca, Path cert, Path key, boolean insecure) {
    if ((cert == null) != (key == null)) {
      throw new UsageException(
          "--" + side + "-cert and --" + side + "-key must be given together");
    }
    return new EndpointOptions(side, user, password, readable(side + "-ca", ca),
        readable(side + "-cert", cert), readable(side + "-key", key), insecure);
  }

  private static Optional<Path> readable(String option, Path file) {
    if (file != null && (!Files.isRegularFile(file) || !Files.isReadable(file))) {
      throw new UsageException("option --" + option + ": cannot read file '" + file + "'");
    }
    return Optional.ofNullable(file);
  }

  @Override
  public String toString() {
    return "EndpointOptions[side=" + side + ", user=" + user.orElse("(anonymous)")
        + ", password=" + (password.isPresent() ? "(set)" : "(none)") + ", ca=" + caFile
        + ", cert=" + certFile + ", insecureSkipVerify=" + insecureSkipVerify + "]";
  }
}
