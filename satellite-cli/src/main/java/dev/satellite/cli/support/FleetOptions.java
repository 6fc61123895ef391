package dev.satellite.cli.support;

import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the agent joins a Harbor Satellite fleet: Ground Control's URL, the one-time registration
 * token (from {@code --token} or {@code SATELLITE_TOKEN}; not needed once a registration is saved),
 * the state directory where the registration, checkpoint and upload journal live, and the CA
 * bundle trusted for Ground Control, if not the system's; or, instead of the token and CA, the
 * SPIFFE identity to join with ({@code --spiffe}).
 * {@link #toString} never shows the token.
 */
public record FleetOptions(String groundControlUrl, Optional<String> token, Path stateDirectory,
    Optional<Path> groundControlCa, Optional<SpiffeOptions> spiffe) {

  /** The environment variable the token may come from instead of {@code --token}. */
  public static final String TOKEN_VARIABLE = "SATELLITE_TOKEN";

  @Override
  public String toString() {
    return "FleetOptions[groundControl=" + groundControlUrl + ", token="
        + (token.isPresent() ? "(set)" : "(none)") + ", stateDirectory=" + stateDirectory
        + ", groundControlCa=" + groundControlCa + ", spiffe=" + spiffe + "]";
  }
}
