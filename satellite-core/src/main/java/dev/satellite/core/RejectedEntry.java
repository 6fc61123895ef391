package dev.satellite.core;

/**
 * An artifact entry of a group state that could not become an {@link Entity}, kept with the raw
 * values as they arrived (any of them may be {@code null}) and the reason it was rejected. The
 * reconciler reports it as a failure of that entry alone; the rest of its group proceeds.
 */
public record RejectedEntry(String repository, String tag, String digest, String reason) {
  public RejectedEntry {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a rejected entry needs a reason");
    }
  }
}
