package dev.satellite.cli.support;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the agent joins a Harbor Satellite fleet: Ground Control's URL, the one-time registration
 * token (from {@code --token} or {@code SATELLITE_TOKEN}; not needed once a registration is saved),
 * the state directory where the registration, checkpoint and upload journal live, and the CA
 * bundle trusted for Ground Control, if not the system's.
 * {@link #toString} never shows the token.
 */
public record FleetOptions(String groundControlUrl, Optional<String> token, Path stateDirectory,
    Optional<Path> groundControlCa) {

  /** The environment variable the token may come from instead of {@code --token}. */
  public static final String TOKEN_VARIABLE = "SATELLITE_TOKEN";

  @Override
  public String toString() {
    return "FleetOptions[groundControl=" + groundControlUrl + ", token="
        + (token.isPresent() ? "(set)" : "(none)") + ", stateDirectory=" + stateDirectory
        + ", groundControlCa=" + groundControlCa + "]";
  }
}
