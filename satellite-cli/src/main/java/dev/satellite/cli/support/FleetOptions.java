package dev.satellite.cli.support;

import dev.satellite.agent.config.LocalConfig;
import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How the agent joins a Harbor Satellite fleet: Ground Control's URL, the one-time registration
 * token (from {@code --token} or {@code SATELLITE_TOKEN}; not needed once a registration is saved),
 * the state directory where the registration, checkpoint and upload journal live, and the CA
 * bundle trusted for Ground Control, if not the system's, and where Harbor is reached when Ground
 * Control publishes it under a name this node cannot use; or, instead of the token and CA, the
 * SPIFFE identity to join with ({@code --spiffe}); the node's own config file ({@code --config});
 * and whether Ground Control and Harbor are reached without verifying their certificates (the Go
 * satellite's {@code USE_UNSECURE}).
 * {@link #toString} never shows the token.
 */
public record FleetOptions(String groundControlUrl, Optional<String> token, Path stateDirectory,
    Optional<Path> groundControlCa, Optional<String> harborRegistryUrl,
    Optional<SpiffeOptions> spiffe, Optional<LocalConfig> localConfig, boolean useUnsecure) {

  /** The environment variable the token may come from instead of {@code --token}. */
  public static final String TOKEN_VARIABLE = "SATELLITE_TOKEN";
  /** The Go satellite's name for the token variable, read when {@link #TOKEN_VARIABLE} is unset. */
  public static final String GO_TOKEN_VARIABLE = "TOKEN";
  /** The Go satellite's variable for Ground Control's URL, read without {@code --ground-control}. */
  public static final String GROUND_CONTROL_VARIABLE = "GROUND_CONTROL_URL";
  /** The Go satellite's variable for where Harbor is reached, read without the option. */
  public static final String HARBOR_REGISTRY_VARIABLE = "HARBOR_REGISTRY_URL";
  /** The Go satellite's variable: no certificate verification towards Ground Control and Harbor. */
  public static final String USE_UNSECURE_VARIABLE = "USE_UNSECURE";
  /** The Go satellite's config directory: the state directory without {@code --state-dir}. */
  public static final String CONFIG_DIR_VARIABLE = "CONFIG_DIR";

  /**
   * {@link #USE_UNSECURE_VARIABLE} read as Go's {@code strconv.ParseBool} reads it ({@code
   * 1/t/true/0/f/false}, in the cases Go accepts); unset or empty is false.
   *
   * @throws UsageException naming the variable and the value when it is no boolean
   */
  public static boolean useUnsecure(Map<String, String> env) {
    String value = env.getOrDefault(USE_UNSECURE_VARIABLE, "").strip();
    switch (value) {
      case "", "0", "f", "F", "false", "FALSE", "False":
        return false;
      case "1", "t", "T", "true", "TRUE", "True":
        return true;
      default:
        throw new UsageException("environment variable " + USE_UNSECURE_VARIABLE + "='"
            + value + "' is not a boolean (true or false, as the Go satellite reads it)");
    }
  }

  @Override
  public String toString() {
    return "FleetOptions[groundControl=" + groundControlUrl + ", token="
        + (token.isPresent() ? "(set)" : "(none)") + ", stateDirectory=" + stateDirectory
        + ", groundControlCa=" + groundControlCa + ", harborRegistryUrl=" + harborRegistryUrl
        + ", spiffe=" + spiffe + ", localConfig=" + localConfig + ", useUnsecure=" + useUnsecure
        + "]";
  }
}
