package dev.satellite.core;

/** A {@link StateStore} could not load, save, lock or release its checkpoint. */
public class StateStoreException extends SatelliteException {
  private static final long serialVersionUID = 1L;

  public StateStoreException(String message) {
    super(message);
  }

  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
