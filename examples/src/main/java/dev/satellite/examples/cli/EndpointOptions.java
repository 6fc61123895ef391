package dev.satellite.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  /** Value options this side accepts, without the leading dashes. */
  public static List<String> valueOptions(String side) {
    return List.of(side + "-user", side + "-ca", side + "-cert", side + "-key");
  }

  /** Switches this side accepts. */
  public static List<String> switchOptions(String side) {
    return List.of(side + "-insecure-skip-verify");
  }

  /** The environment variable that carries this side's password. */
  public static String passwordVariable(String side) {
    return "SATELLITE_" + side.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD";
  }

  /**
   * @throws UsageException when a file is unreadable, a certificate comes without its key (or the
   *     other way round), or a user is given without the password variable
   */
  public static EndpointOptions from(String side, Arguments args, Map<String, String> env) {
    Optional<String> user = args.value(side + "-user");
    Optional<String> password = Optional.ofNullable(env.get(passwordVariable(side)));
    if (user.isPresent() && password.isEmpty()) {
      throw new UsageException(
          "--" + side + "-user is set but the environment variable " + passwordVariable(side)
              + " is not");
    }
    if (user.isEmpty()) {
      password = Optional.empty();
    }
    Optional<Path> ca = readableFile(side + "-ca", args);
    Optional<Path> cert = readableFile(side + "-cert", args);
    Optional<Path> key = readableFile(side + "-key", args);
    if (cert.isPresent() != key.isPresent()) {
      throw new UsageException(
          "--" + side + "-cert and --" + side + "-key must be given together");
    }
    return new EndpointOptions(
        side, user, password, ca, cert, key, args.has(side + "-insecure-skip-verify"));
  }

  private static Optional<Path> readableFile(String option, Arguments args) {
    Optional<Path> path = args.value(option).map(Path::of);
    path.ifPresent(
        file -> {
          if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UsageException(
                "option --" + option + ": cannot read file '" + file + "'");
          }
        });
    return path;
  }

  @Override
  public String toString() {
    return "EndpointOptions[side=" + side + ", user=" + user.orElse("(anonymous)")
        + ", password=" + (password.isPresent() ? "(set)" : "(none)") + ", ca=" + caFile
        + ", cert=" + certFile + ", insecureSkipVerify=" + insecureSkipVerify + "]";
  }
}
