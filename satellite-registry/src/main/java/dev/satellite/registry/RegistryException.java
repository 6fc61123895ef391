package dev.satellite.registry;

import dev.satellite.core.SatelliteException;
import java.util.List;
import java.util.OptionalInt;

/**
 * A registry request failed: the registry answered with an error status, or could not be reached.
 * The message says what was being done, where, and what came back, e.g. {@code HEAD manifest
 * library/app:v1 at 127.0.0.1:5000: 401 Unauthorized [UNAUTHORIZED: authentication required]}.
 */
public class RegistryException extends SatelliteException {
  private static final long serialVersionUID = 1L;

  private final String action;
  private final int statusCode;
  private final List<String> errorCodes;

  /**
   * @param action what was being done and where ({@code PUT blob repo@sha256:.. at host:port})
   * @param statusCode the HTTP status, or -1 when there was no HTTP response
   * @param errorCodes OCI error codes from the response body ({@code BLOB_UNKNOWN}, ...)
   * @param problem what went wrong, appended to the action in the message
   */
  public RegistryException(
      String action, int statusCode, List<String> errorCodes, String problem, Throwable cause) {
    super(action + ": " + problem, cause);
    this.action = action;
    this.statusCode = statusCode;
    this.errorCodes = List.copyOf(errorCodes);
  }

  /** A failure without an HTTP response (connection refused, TLS handshake, protocol error). */
  public RegistryException(String action, String problem, Throwable cause) {
    this(action, -1, List.of(), problem, cause);
  }

  public String action() {
    return action;
  }

  /** The HTTP status code, when the registry answered. */
  public OptionalInt statusCode() {
    return statusCode < 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
  }

  /** The OCI error codes of the response body, in order; empty when there were none. */
  public List<String> errorCodes() {
    return errorCodes;
  }
}
