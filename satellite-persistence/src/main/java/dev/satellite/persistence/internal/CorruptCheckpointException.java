package dev.satellite.persistence.internal;

/** The checkpoint file's content cannot be trusted; the message says why (and where). */
public final class CorruptCheckpointException extends Exception {
  private static final long serialVersionUID = 1L;

  public CorruptCheckpointException(String reason) {
    super(reason);
  }

  public CorruptCheckpointException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
