package dev.satellite.registry.internal.blob;

import dev.satellite.registry.Digest;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The blob operations of one registry client that a resumable copy needs and applications do not:
 * a download from an offset, a chunked upload that can be continued, and where an upload session
 * stands. The registry client hands them out to the copy engine only (a package-private accessor).
 */
public interface ResumableBlobs {

  /**
   * Opens a blob from byte {@code offset} on, for a copy that already holds the bytes before it:
   * asks with {@code Range: bytes=<offset>-} and continues {@code prefixHash} (the hash of the
   * first {@code offset} bytes, which this call takes over), so that the end of the stream checks
   * the whole blob against {@code digest}. A server that ignores the range is read from the start,
   * the first {@code offset} bytes dropped.
   *
   * @throws dev.satellite.registry.RegistryException when the blob is absent, the range is refused
   *     (416) or the server answers a range that does not start at {@code offset}
   */
  InputStream openBlob(String repository, Digest digest, long offset, MessageDigest prefixHash);

  /**
   * Uploads a blob in {@code PATCH} chunks of {@code chunkSize} bytes, so that the upload can be
   * continued after an interruption, then commits it with {@code PUT ?digest=}. With {@code
   * resumeAt} (a position this registry reported, see {@link #uploadStatus}) it continues that
   * session and {@code content} must start at its offset; that content must then verify the whole
   * blob itself, as a stream from {@link #openBlob} does. {@code afterChunk} is told where the
   * session stands after each chunk the registry accepted (to record it durably). A failure that
   * may pass (connection lost, 5xx except 501, 408, 429) leaves the session open; any other cancels
   * it.
   *
   * @throws dev.satellite.registry.DigestMismatchException when the content does not hash to
   *     {@code digest}; nothing is committed
   * @throws dev.satellite.registry.RegistryException when the registry refuses (a 416 for a
   *     position it no longer agrees with, say) or the content has another size
   * @throws IllegalArgumentException when {@code resumeAt} is on another origin or past {@code
   *     size}, or the content cannot verify a resumed blob
   */
  void pushBlobInChunks(
      String repository,
      Digest digest,
      long size,
      InputStream content,
      int chunkSize,
      Optional<UploadPosition> resumeAt,
      Consumer<UploadPosition> afterChunk);

  /**
   * Asks the registry where the upload session at {@code location} (for blob {@code digest} in
   * {@code repository}) stands: {@code GET} on it, read from the {@code Range} it answers.
   *
   * @return empty when the registry does not know the session (404: expired, cancelled, or not
   *     the latest location of the session)
   * @throws IllegalArgumentException when the location is not on this registry's origin
   */
  Optional<UploadPosition> uploadStatus(String repository, Digest digest, String location);
}
