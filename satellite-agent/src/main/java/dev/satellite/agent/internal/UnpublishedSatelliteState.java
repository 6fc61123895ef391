package dev.satellite.agent.internal;

import dev.satellite.core.GroupState;
import dev.satellite.core.SatelliteState;
import dev.satellite.core.StateSource;
import dev.satellite.registry.RegistryException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet member's state source: Ground Control publishes no satellite state at all for a
 * satellite that follows no group yet (it skips the push when the group list is empty), so its
 * reference answers {@code 404}. That means "no groups, no config yet", not a failed pass. Any other
 * failure stays what it is. Logged at INFO once each time the state goes missing.
 */
final class UnpublishedSatelliteState implements StateSource {
  private static final Logger log = LoggerFactory.getLogger(UnpublishedSatelliteState.class);
  private static final SatelliteState NONE = new SatelliteState(List.of(), Optional.empty());

  private final StateSource published;
  private final String reference;
  private final AtomicBoolean missing = new AtomicBoolean();

  UnpublishedSatelliteState(StateSource published, String reference) {
    this.published = published;
    this.reference = reference;
  }

  @Override
  public SatelliteState fetchSatelliteState() {
    try {
      SatelliteState state = published.fetchSatelliteState();
      missing.set(false);
      return state;
    } catch (RuntimeException e) {
      if (!isNotFound(e)) {
        throw e;
      }
      if (missing.compareAndSet(false, true)) {
        log.info("no satellite state is published at {} (404): Ground Control publishes one once"
            + " the satellite follows a group; nothing to sync until then", reference);
      }
      return NONE;
    }
  }

  @Override
  public GroupState fetchGroup(String ref) {
    return published.fetchGroup(ref);
  }

  @Override
  public String configDigest(String ref) {
    return published.configDigest(ref);
  }

  @Override
  public byte[] fetchConfig(String ref) {
    return published.fetchConfig(ref);
  }

  /** Whether a {@link RegistryException} with status 404 is among the causes. */
  private static boolean isNotFound(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RegistryException registry
          && registry.statusCode().orElse(0) == 404) {
        return true;
      }
    }
    return false;
  }
}
