package dev.satellite.agent.groundcontrol;

/**
 * Ground Control refused the registration token ({@code 400} invalid or used, {@code 401}
 * expired, {@code 403}/{@code 404} unknown): trying again with the same token cannot succeed.
 * A satellite that meets it needs a new token; the {@code satellite agent} command exits with its
 * own status for it.
 */
public class RegistrationRefusedException extends GroundControlException {
  private static final long serialVersionUID = 1L;

  /** @param statusCode Ground Control's HTTP status */
  public RegistrationRefusedException(String message, int statusCode) {
    super(message, statusCode, false, null, null);
  }
}
