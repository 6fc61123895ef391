package dev.satellite.agent.health;

import java.util.Objects;
import java.util.Optional;

/**
 * One answer of {@link SatelliteHealth}: up or not, and why not.
 *
 * @param up true when alive (or ready)
 * @param reason empty when up; otherwise one line saying what is wrong, for a probe's body and an
 *     operator
 */
public record HealthStatus(boolean up, Optional<String> reason) {
  public HealthStatus {
    Objects.requireNonNull(reason, "reason");
    if (up == reason.isPresent()) {
      throw new IllegalArgumentException("a status is up without a reason, or down with one");
    }
  }

  static HealthStatus healthy() {
    return new HealthStatus(true, Optional.empty());
  }

  static HealthStatus unhealthy(String reason) {
    return new HealthStatus(false, Optional.of(reason));
  }
}
