package dev.satellite.agent.groundcontrol;

import java.util.List;

/**
 * Events of a satellite's fleet membership ({@code Satellite.Builder.groundControl}), for metrics
 * and audit logs; every method has a no-op default. Called from the satellite's threads (start-up,
 * the pass, the heartbeat thread), possibly at the same time: implementations must be thread-safe
 * and quick. A listener that throws is logged and ignored.
 */
public interface FleetListener {
  /** A listener that tells each of {@code listeners}, in order; one that throws does not stop the rest. */
  static FleetListener all(List<FleetListener> listeners) {
    return new FleetListeners(List.copyOf(listeners));
  }

  /**
   * The satellite holds a registration: a saved one ({@code fromSavedFile}) or one Ground Control
   * just handed out. The registration's password is the robot account's secret: never log it.
   */
  default void registered(Registration registration, boolean fromSavedFile) {}

  /** A config was read and applied; {@code digest} is the config artifact's digest. */
  default void configApplied(String digest) {}

  /** A heartbeat reached Ground Control, which answered {@code status}. */
  default void heartbeatDelivered(int status) {}

  /** A heartbeat could not be delivered, for {@code reason}. */
  default void heartbeatFailed(String reason) {}
}
