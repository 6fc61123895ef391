package dev.satellite.agent.groundcontrol;

import java.util.List;
import java.util.Objects;

/**
 * Ground Control's answer to a heartbeat ({@code POST {gc}/satellites/sync}): its status, and the
 * events it asks the satellite to act on.
 *
 * <p>Ground Control up to v0.0.4 answers {@code 200} with no body: no events. With harbor-satellite
 * PR #501 (credential refresh) it answers {@code {"events": ["refresh_credentials"]}} (an early
 * revision of that change named the member {@code actions}; both are read). Events this satellite
 * does not know are kept and otherwise ignored.
 *
 * @param status the HTTP status, {@code 200}
 * @param events the events named, in Ground Control's order; empty when none
 */
public record HeartbeatAnswer(int status, List<String> events) {
  /** The event that asks for the robot account's secret to be refreshed before it expires. */
  public static final String REFRESH_CREDENTIALS = "refresh_credentials";

  public HeartbeatAnswer {
    events = List.copyOf(Objects.requireNonNull(events, "events"));
  }

  /** Whether Ground Control asks for a credential refresh ({@value #REFRESH_CREDENTIALS}). */
  public boolean refreshCredentials() {
    return events.contains(REFRESH_CREDENTIALS);
  }
}
