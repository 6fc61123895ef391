package dev.satellite.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one chunked blob upload to an edge registry stood when it was last recorded: enough for a
 * process started after a crash to ask the registry about the session and continue it.
 *
 * @param registry the destination registry ({@code host:port})
 * @param repository the destination repository the session belongs to
 * @param digest the blob being uploaded ({@code algorithm:hex})
 * @param size the blob's size in bytes
 * @param location the upload session URL the registry gave after the last accepted chunk (the
 *     next chunk goes there); registries such as CNCF Distribution sign the offset into it, so an
 *     older location of the same session is refused
 * @param uploaded bytes the registry had accepted at {@code location}
 * @param updatedAt when the record was written
 */
public record UploadRecord(
    String registry,
    String repository,
    String digest,
    long size,
    String location,
    long uploaded,
    Instant updatedAt) {

  /** @throws IllegalArgumentException when a name is invalid or an offset out of range */
  public UploadRecord {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(updatedAt, "updatedAt");
    OciGrammar.requireRepository(repository);
    OciGrammar.requireDigest(digest);
    if (registry.isBlank() || location.isBlank()) {
      throw new IllegalArgumentException("upload record needs a registry and a location");
    }
    if (size < 0 || uploaded < 0 || uploaded > size) {
      throw new IllegalArgumentException(
          "upload record of " + digest + ": " + uploaded + " of " + size + " bytes is impossible");
    }
  }
}
