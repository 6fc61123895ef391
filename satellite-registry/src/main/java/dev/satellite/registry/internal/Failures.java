package dev.satellite.registry.internal;

import dev.satellite.registry.RegistryException;

/** Which failures of a registry exchange may not happen again when it is tried later. */
public final class Failures {
  private Failures() {}

  /**
   * True for a {@link RegistryException} without a response (connection lost, timeout) or with a
   * status {@link RetryInterceptor#isRetryableStatus} retries; false for a digest mismatch, any
   * other status and other exceptions.
   */
  public static boolean mayPass(RuntimeException e) {
    if (!(e instanceof RegistryException r)) {
      return false;
    }
    return r.statusCode().isEmpty()
        || RetryInterceptor.isRetryableStatus(r.statusCode().getAsInt());
  }
}
