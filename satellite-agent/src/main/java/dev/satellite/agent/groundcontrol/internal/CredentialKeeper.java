package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.agent.groundcontrol.CredentialState;
import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.HeartbeatAnswer;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.groundcontrol.RegistrationRefusedException;
import dev.satellite.core.SatelliteException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a fleet member's robot account working over its life, driven by what heartbeats and passes
 * find; the satellite keeps its edge and checkpoint throughout.
 *
 * <ul>
 *   <li><b>Refresh.</b> When a heartbeat answer asks for it ({@code refresh_credentials}: Ground
 *       Control flags it when the secret expires within about two heartbeat intervals), the
 *       secret is refreshed ({@link GroundControlClient#refreshCredentials}), saved and swapped in
 *       ({@link RobotCredentials}) before the next request of the heartbeat thread or of a pass.
 *   <li><b>Refusal.</b> A pass whose upstream requests were refused ({@code 401}) and a heartbeat
 *       Ground Control refused ({@code 401}) mark the robot account refused by Harbor or Ground
 *       Control: one WARN when that begins, one INFO when it ends, not one per pass or beat; the
 *       state is saved ({@link CredentialStatusFile}) and added to the heartbeats' activity.
 *   <li><b>New token.</b> At each heartbeat and after each pass, a token in the state directory's
 *       {@link TokenFile} is used to register again (then the file is deleted); while the robot
 *       account is refused, the token given at start is tried too, once. The new registration
 *       replaces the saved one atomically and is used from the next request on. A token Ground
 *       Control refused is not tried again until the file holds another; an unreachable Ground
 *       Control is tried again at the next check.
 * </ul>
 *
 * <p>Thread-safe: heartbeats and passes run on their own threads; one check runs at a time.
 */
public final class CredentialKeeper implements GroundControlLink.Robot {
  private static final Logger log = LoggerFactory.getLogger(CredentialKeeper.class);

  private final GroundControlClient client;
  private final RobotCredentials robot;
  private final TokenFile tokenFile;
  private final CredentialStatusFile statusFile;
  private final Clock clock;
  private Optional<String> startToken;
  private volatile CredentialState state;
  private String refusedToken = "";
  private String lastProblem = "";

  /** @param startToken the token given at start, tried once when the robot account is refused */
  public CredentialKeeper(GroundControlClient client, RobotCredentials robot, TokenFile tokenFile,
      Optional<String> startToken, CredentialStatusFile statusFile, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.robot = Objects.requireNonNull(robot, "robot");
    this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
    this.statusFile = Objects.requireNonNull(statusFile, "statusFile");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.startToken = Objects.requireNonNull(startToken, "startToken");
    this.state = new CredentialState(robot.get().username(), false, false, clock.instant(),
        Optional.empty(), Optional.empty());
    Optional<CredentialState> saved = Optional.empty();
    try {
      saved = statusFile.read();
    } catch (SatelliteException e) {
      log.warn("{}; starting over", e.getMessage());
    }
    if (saved.isPresent() && saved.get().robot().equals(state.robot())) {
      this.state = saved.get(); // a restart keeps what was seen, and since when
      this.lastProblem = saved.get().problem().orElse("");
    } else {
      save(state);
    }
  }

  @Override
  public Registration registration() {
    return robot.get();
  }

  /** The state now. */
  public CredentialState state() {
    return state;
  }

  @Override
  public synchronized void accepted(HeartbeatAnswer answer) {
    mark(state.harborRefuses(), false);
    if (answer.refreshCredentials()) {
      refresh();
    }
    newToken();
  }

  @Override
  public synchronized void refused(GroundControlException failure) {
    OptionalInt status = failure.statusCode();
    if (status.isPresent() && status.getAsInt() == 401) {
      mark(state.harborRefuses(), true);
    }
    newToken();
  }

  /**
   * After a pass: {@code harborRefused} is whether its last authenticated upstream request was
   * refused, empty when it made none.
   */
  public synchronized void passEnded(Optional<Boolean> harborRefused) {
    mark(harborRefused.orElse(state.harborRefuses()), state.groundControlRefuses());
    newToken();
  }

  @Override
  public String activityNote() {
    CredentialState now = state;
    return now.refused() ? "; " + now.describe() : "";
  }

  private void refresh() {
    try {
      robot.replace(client.refreshCredentials(robot.get()));
      log.info("Ground Control refreshed the secret of robot account {}; in use from now on and"
          + " saved", robot.get().username());
      settle(Optional.empty(), true);
    } catch (SatelliteException e) {
      problem("credential refresh failed: " + e.getMessage()
          + (e instanceof GroundControlException g && g.passable() ? "; tried again when Ground"
              + " Control asks next" : ""));
    }
  }

  private void newToken() {
    Optional<String> token;
    boolean fromFile;
    try {
      token = tokenFile.read();
      fromFile = token.isPresent();
    } catch (SatelliteException e) {
      problem(e.getMessage());
      return;
    }
    if (token.isEmpty() && state.refused() && startToken.isPresent()) {
      token = startToken;
      startToken = Optional.empty();
    }
    if (token.isEmpty() || fingerprint(token.get()).equals(refusedToken)) {
      return;
    }
    try {
      Registration next = client.register(token.get());
      adopt(next);
      if (fromFile) {
        tokenFile.consume();
      }
    } catch (RegistrationRefusedException e) {
      refusedToken = fingerprint(token.get());
      problem("registration with the new token refused: " + e.getMessage());
    } catch (SatelliteException e) {
      problem("registration with the new token failed, tried again at the next check: "
          + e.getMessage());
    }
  }

  private void adopt(Registration next) {
    Registration current = robot.get();
    if (!next.stateReference().equals(current.stateReference())
        || !next.registryUrl().equals(current.registryUrl())) {
      robot.saveForNextStart(next);
      problem("the new token registered satellite " + next.satelliteName() + " (state "
          + next.stateReference() + "), not " + current.satelliteName() + ": saved, it applies"
          + " from the next start");
      return;
    }
    robot.replace(next);
    log.info("registered again with a new token as robot account {}; the new registration"
        + " replaces the saved one and is in use from now on", next.username());
    settle(Optional.empty(), true);
  }

  /** The robot account is accepted by {@code harbor}/{@code groundControl} as said. */
  private void mark(boolean harborRefuses, boolean groundControlRefuses) {
    CredentialState before = state;
    if (before.harborRefuses() == harborRefuses
        && before.groundControlRefuses() == groundControlRefuses) {
      return;
    }
    CredentialState after = new CredentialState(robot.get().username(), harborRefuses,
        groundControlRefuses, clock.instant(), before.refreshedAt(), before.problem());
    if (after.refused()) {
      log.warn("{}", after.describe());
    } else {
      log.info("robot account {} accepted again by Harbor and Ground Control", after.robot());
    }
    save(after);
  }

  /**
   * A refresh or new registration succeeded ({@code renewed}: the new credentials count as
   * accepted until a refusal says otherwise), or a problem began or ended.
   */
  private void settle(Optional<String> problem, boolean renewed) {
    CredentialState before = state;
    lastProblem = problem.orElse("");
    Instant now = clock.instant();
    save(renewed
        ? new CredentialState(robot.get().username(), false, false, now, Optional.of(now), problem)
        : new CredentialState(robot.get().username(), before.harborRefuses(),
            before.groundControlRefuses(), before.since(), before.refreshedAt(), problem));
  }

  /** One WARN per distinct problem, not one per check. */
  private void problem(String problem) {
    if (!problem.equals(lastProblem)) {
      log.warn("{}", problem);
      settle(Optional.of(problem), false);
    }
  }

  private void save(CredentialState next) {
    state = next;
    try {
      statusFile.write(next);
    } catch (SatelliteException e) {
      log.warn("{}", e.getMessage());
    }
  }

  private static String fingerprint(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256: " + e, e);
    }
  }
}
