package dev.satellite.registry.internal.blob;

import java.util.Objects;

/**
 * Where a chunked blob upload stands: the session URL for the next chunk, and how many bytes the
 * registry has accepted. Registries such as CNCF Distribution sign the offset into the URL, so
 * only the location returned after the last accepted chunk is valid.
 *
 * @param location the absolute upload session URL
 * @param offset bytes accepted so far
 */
public record UploadPosition(String location, long offset) {

  /** @throws IllegalArgumentException when the offset is negative or the location blank */
  public UploadPosition {
    Objects.requireNonNull(location, "location");
    if (location.isBlank() || offset < 0) {
      throw new IllegalArgumentException("invalid upload position " + offset + " at " + location);
    }
  }
}
