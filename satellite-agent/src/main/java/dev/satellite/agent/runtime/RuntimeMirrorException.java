package dev.satellite.agent.runtime;

import dev.satellite.core.SatelliteException;

/**
 * A runtime's configuration file could not be read, merged or written. The message names the file
 * and says whether it was left untouched or restored.
 */
public class RuntimeMirrorException extends SatelliteException {
  private static final long serialVersionUID = 1L;

  public RuntimeMirrorException(String message) {
    super(message);
  }

  public RuntimeMirrorException(String message, Throwable cause) {
    super(message, cause);
  }
}
