package dev.satellite.agent.groundcontrol;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the robot account a fleet member uses is accepted, as the satellite last saw it: Harbor
 * refuses it when a pass's requests to the upstream are answered {@code 401}, Ground Control when
 * a heartbeat is. Kept in the state directory ({@code credentials.json}, no secret in it) at each
 * change, so {@code SatelliteStatus} shows it while the satellite runs and after it stopped.
 *
 * @param robot the robot account's name
 * @param harborRefuses whether the last pass found the upstream (Harbor) refusing it
 * @param groundControlRefuses whether the last heartbeat found Ground Control refusing it
 * @param since when this state began (the last change of either)
 * @param refreshedAt when the secret was last refreshed or replaced by a new registration
 * @param problem why the last refresh or new registration failed, while it stands
 */
public record CredentialState(String robot, boolean harborRefuses, boolean groundControlRefuses,
    Instant since, Optional<Instant> refreshedAt, Optional<String> problem) {

  public CredentialState {
    Objects.requireNonNull(robot, "robot");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(refreshedAt, "refreshedAt");
    Objects.requireNonNull(problem, "problem");
  }

  /** Whether Harbor or Ground Control refuses the robot account. */
  public boolean refused() {
    return harborRefuses || groundControlRefuses;
  }

  /**
   * In a few words, for people: {@code "robot account robot$x accepted"}, or who refuses it since
   * when and what gets the satellite out of it.
   */
  public String describe() {
    if (!refused()) {
      return "robot account " + robot + " accepted";
    }
    String who = harborRefuses && groundControlRefuses ? "Harbor and Ground Control refuse"
        : harborRefuses ? "Harbor refuses" : "Ground Control refuses";
    return who + " robot account " + robot + " since " + since + " (expired?): the edge keeps"
        + " its images; a credential refresh or a new registration token gets it going again";
  }
}
