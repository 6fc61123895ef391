package dev.satellite.cli.support;

import dev.satellite.registry.Credentials;
import java.util.Map;

/**
 * Credentials of the publishing commands: {@code --user <name>} on the command line, the password
 * in the environment variable {@code SATELLITE_REGISTRY_PASSWORD} (never on the command line).
 */
public final class RegistryLogin {
  public static final String PASSWORD_VARIABLE = "SATELLITE_REGISTRY_PASSWORD";

  private RegistryLogin() {}

  /**
   * @param user the value of {@code --user}, null when absent
   * @throws UsageException when {@code --user} is given without the password variable
   */
  public static Credentials credentials(String user, Map<String, String> env) {
    if (user == null) {
      return Credentials.anonymous();
    }
    String password = env.get(PASSWORD_VARIABLE);
    if (password == null) {
      throw new UsageException(
          "--user is set but the environment variable " + PASSWORD_VARIABLE + " is not");
    }
    return Credentials.basic(user, password);
  }
}
