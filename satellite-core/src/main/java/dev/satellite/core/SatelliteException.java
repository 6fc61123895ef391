package dev.satellite.core;

/**
 * Root of every exception this library throws. Unchecked: callers that want to handle one kind of
 * failure catch its subtype ({@link StateStoreException}, the registry module's
 * {@code RegistryException}, ...); everything else propagates.
 *
 * <p>Messages say what was being done, where, and with what, so that the message alone is enough
 * to act on.
 */
public class SatelliteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SatelliteException(String message) {
    super(message);
  }

  public SatelliteException(String message, Throwable cause) {
    super(message, cause);
  }
}
