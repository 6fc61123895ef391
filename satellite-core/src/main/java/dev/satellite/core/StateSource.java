package dev.satellite.core;

/**
 * Where the desired state comes from (the registry module reads Harbor Ground Control state
 * artifacts; tests use in-memory fakes). Each call is one read of the current upstream state.
 *
 * <p>Failures are thrown as {@link SatelliteException}s whose message names the reference.
 */
public interface StateSource {

  /** Reads the satellite state: which groups to follow and where the config lives. */
  SatelliteState fetchSatelliteState();

  /** Reads one group state by the reference listed in the satellite state. */
  GroupState fetchGroup(String ref);

  /** Returns the digest of the config state {@code ref} without fetching its body. */
  String configDigest(String ref);

  /** Returns the config JSON of {@code ref}. Called only when {@link #configDigest} changed. */
  byte[] fetchConfig(String ref);
}
