package dev.satellite.registry.internal;

import dev.satellite.registry.RegistryException;

/** Which failures of a registry exchange may not happen again when it is tried later. */
public final class Failures {
  private Failures() {}

  /**
   * True for a {@link RegistryException} without a response (connection lost, timeout) or with a
   * 5xx, 408 or 429 status; false for a digest mismatch, any other status and other exceptions.
   */
  public static boolean mayPass(RuntimeException e) {
    if (!(e instanceof RegistryException r)) {
      return false;
    }
    if (r.statusCode().isEmpty()) {
      return true;
    }
    int status = r.statusCode().getAsInt();
    return status >= 500 || status == 408 || status == 429;
  }
}
