package dev.satellite.registry.internal.blob;

import dev.satellite.registry.Digest;
import dev.satellite.registry.DigestMismatchException;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.Hashing;
import dev.satellite.registry.internal.RegistryCaller;
import dev.satellite.registry.internal.RegistryRequest;
import dev.satellite.registry.internal.UnansweredAttempts;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open upload of one blob. It follows the {@code Location} each response names, hashes the
 * content as it goes out, and sends the committing {@code PUT ?digest=} only once the hash matched
 * (for a streamed single {@code PUT}, the check runs before its last bytes are written).
 *
 * <p>The committing {@code PUT} is not idempotent: the registry commits the blob and forgets the
 * session. When an attempt of it went unanswered (read timeout, connection lost, a 5xx: see {@link
 * UnansweredAttempts}) the blob may well be committed, and a retry then meets a session that no
 * longer exists ({@code 404 BLOB_UPLOAD_UNKNOWN}). In that case, and when no attempt was answered
 * at all or the last got a 5xx, the session asks the registry whether the repository has the blob
 * ({@code HEAD}); since a registry addresses blobs by digest and verifies the digest on commit, a
 * present blob is the one this upload sent, and the upload is complete. An absent one leaves the
 * failure standing ({@link SessionLost} for the vanished session). A {@code 404
 * BLOB_UPLOAD_UNKNOWN} to a commit whose every attempt was answered is a failure without that
 * check: the session was gone before the commit could do anything (expired, cancelled, a stale
 * location).
 */
final class UploadSession {
  private static final Logger LOG = LoggerFactory.getLogger(UploadSession.class);
  static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private static final Pattern RANGE = Pattern.compile("(?:bytes=)?0-(\\d{1,18})");
  private static final String SESSION_UNKNOWN = "BLOB_UPLOAD_UNKNOWN";

  /**
   * The registry no longer knew the session when the commit was sent again after an attempt that
   * went unanswered, and the repository does not have the blob: the upload did not complete.
   */
  static final class SessionLost extends RegistryException {
    private static final long serialVersionUID = 1L;

    SessionLost(RegistryException failure) {
      super(failure.action(), failure.statusCode().orElse(-1), failure.errorCodes(),
          problem(failure) + " after an earlier attempt of the committing PUT went unanswered,"
              + " and the repository does not have the blob: the upload did not complete",
          failure);
    }
  }

  private final RegistryCaller caller;
  private final List<String> scopes;
  private final String action;
  private final Digest digest;
  private final MessageDigest hasher;
  private final BooleanSupplier blobPresent;
  private HttpUrl location;
  private long sent;
  private boolean gone;

  /**
   * A session whose first {@code accepted} bytes the registry already has; its content must then
   * verify the whole blob itself ({@link SelfVerifyingStream}), since this session never sees them.
   *
   * @param blobPresent asks the registry whether the repository has the blob ({@code HEAD})
   */
  UploadSession(
      RegistryCaller caller,
      List<String> scopes,
      String action,
      Digest digest,
      BooleanSupplier blobPresent,
      HttpUrl location,
      long accepted) {
    this.caller = caller;
    this.scopes = scopes;
    this.action = action;
    this.digest = digest;
    this.blobPresent = blobPresent;
    this.hasher = Hashing.newMessageDigest(digest.algorithm());
    this.location = location;
    this.sent = accepted;
  }

  /**
   * Asks the registry where the session at {@code location} stands ({@code GET}, answered 204 with
   * {@code Range: 0-<last byte>} and the session's current {@code Location}).
   *
   * @return the position, or empty when the registry does not know the session (404: expired,
   *     cancelled, or refused because the location is not the latest one)
   * @throws RegistryException when the registry fails otherwise or answers without a usable {@code
   *     Range}
   */
  static Optional<UploadPosition> status(
      RegistryCaller caller, List<String> scopes, String action, HttpUrl location) {
    RegistryRequest request =
        RegistryRequest.of(action + " (upload status)", "GET", location, scopes);
    return caller.call(
        request,
        Set.of(200, 204, 404),
        r -> {
          if (r.code() == 404) {
            return Optional.empty();
          }
          long accepted = acceptedBytes(r.header("Range"), request.action());
          HttpUrl next = nextLocation(r, location, request.action());
          return Optional.of(new UploadPosition(next.toString(), accepted));
        });
  }

  /**
   * Bytes a {@code Range: 0-<last>} header says were received. {@code 0-0} is read as none: CNCF
   * Distribution sends it for an empty session; a session holding exactly one byte then fails on
   * the next chunk and is started over.
   */
  static long acceptedBytes(String range, String action) {
    Matcher m = range == null ? null : RANGE.matcher(range.trim());
    if (m == null || !m.matches()) {
      throw new RegistryException(action, "upload status without a usable Range header (" + range
          + ")", null);
    }
    long last = Long.parseLong(m.group(1));
    return last == 0 ? 0 : last + 1;
  }

  /** Where the session stands now. */
  UploadPosition position() {
    return new UploadPosition(location.toString(), sent);
  }

  /** Streams exactly {@code size} bytes in one committing {@code PUT}. */
  void putWhole(InputStream content, long size) {
    StreamedBody body =
        new StreamedBody(content, size, hasherFor(content), () -> verify(content), action);
    commit(body, false);
  }

  /**
   * Streams the bytes from the session's offset to {@code size} in {@code PATCH} chunks of {@code
   * chunkSize}, telling {@code afterChunk} where the session stands after each, then commits.
   */
  void patchKnownSize(
      InputStream content, long size, int chunkSize, Consumer<UploadPosition> afterChunk) {
    if (sent == size) {
      verify(content);
    }
    while (sent < size) {
      long length = Math.min(chunkSize, size - sent);
      Runnable atEnd = sent + length == size ? () -> verify(content) : () -> {};
      patch(new StreamedBody(content, length, hasherFor(content), atEnd, action), length, false);
      afterChunk.accept(position());
    }
    commit(RequestBody.create(new byte[0], OCTET_STREAM), true);
  }

  /** Reads up to {@code chunkSize} bytes at a time into memory, {@code PATCH}es each, commits. */
  void patchUnknownSize(InputStream content, int chunkSize) {
    byte[] chunk = new byte[chunkSize];
    int filled;
    do {
      filled = fill(content, chunk);
      if (filled > 0) {
        hasher.update(chunk, 0, filled);
        patch(RequestBody.create(chunk, OCTET_STREAM, 0, filled), filled, true);
      }
    } while (filled == chunk.length);
    verify(content);
    commit(RequestBody.create(new byte[0], OCTET_STREAM), true);
  }

  /** Uploads bytes held in memory in one committing {@code PUT}, retried on transient failures. */
  void putBytes(byte[] content) {
    commit(RequestBody.create(content, OCTET_STREAM), true);
  }

  /**
   * Best effort, without retries: deletes the session, which will not be completed. Nothing is
   * sent for a session the registry is known to have forgotten.
   */
  void cancel() {
    if (gone) {
      return;
    }
    RegistryRequest request =
        RegistryRequest.of(action + " (cancel upload)", "DELETE", location, scopes)
            .withBody(null, false);
    try {
      caller.execute(request).close();
    } catch (RegistryException e) {
      LOG.debug("{}: could not cancel the unused upload session: {}", action, e.getMessage());
    }
  }

  private void patch(RequestBody body, long length, boolean replayable) {
    RegistryRequest request =
        RegistryRequest.of(action + " (chunk at " + sent + ")", "PATCH", location, scopes)
            .withHeader("Content-Range", sent + "-" + (sent + length - 1))
            .withBody(body, replayable);
    location = caller.call(request, Set.of(202), r -> nextLocation(r, location, request.action()));
    sent += length;
  }

  /** Sends the committing {@code PUT}; see the class comment for an answer that was lost. */
  private void commit(RequestBody body, boolean replayable) {
    HttpUrl url = location.newBuilder().addQueryParameter("digest", digest.toString()).build();
    RegistryRequest request =
        RegistryRequest.of(action, "PUT", url, scopes).withBody(body, replayable);
    RegistryException failure;
    boolean outcomeUnknown;
    try (Response response = caller.execute(request)) {
      if (response.code() == 201 || response.code() == 204) {
        return;
      }
      failure = caller.failure(request, response);
      outcomeUnknown = UnansweredAttempts.of(response) > 0
          && (response.code() >= 500 || failure.errorCodes().contains(SESSION_UNKNOWN));
    } catch (RegistryException noAnswer) {
      if (!(noAnswer.getCause() instanceof IOException cause) || stopped(cause)) {
        throw noAnswer;
      }
      failure = noAnswer;
      outcomeUnknown = true;
    }
    if (!outcomeUnknown) {
      throw failure;
    }
    confirmCommitted(failure);
  }

  /**
   * Returns when the repository has the blob after a commit whose outcome is unknown; otherwise
   * throws {@code failure} ({@link SessionLost} when the session was gone).
   */
  private void confirmCommitted(RegistryException failure) {
    gone = failure.errorCodes().contains(SESSION_UNKNOWN);
    boolean present;
    try {
      present = blobPresent.getAsBoolean();
    } catch (RuntimeException headFailed) {
      failure.addSuppressed(headFailed);
      throw failure;
    }
    if (present) {
      LOG.debug("{}: the committing PUT's outcome was unknown ({}), but the repository has the"
          + " blob: the upload is complete", action, problem(failure));
      return;
    }
    if (gone) {
      throw new SessionLost(failure);
    }
    throw failure;
  }

  /** Whether the request ended because this thread was interrupted, not for want of an answer. */
  private static boolean stopped(IOException cause) {
    return Thread.currentThread().isInterrupted()
        || (cause instanceof InterruptedIOException && !(cause instanceof SocketTimeoutException));
  }

  /** The message of {@code e} without its leading action. */
  private static String problem(RegistryException e) {
    String prefix = e.action() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /**
   * The hasher for {@code content}, or null when the content is a blob download that verifies this
   * very digest at its end (a copy): the bytes are then hashed once, not twice. The check still
   * happens before the last byte is sent, when {@link #verify} reads the end of the content.
   */
  private MessageDigest hasherFor(InputStream content) {
    return selfVerifying(content) ? null : hasher;
  }

  private boolean selfVerifying(InputStream content) {
    return content instanceof SelfVerifyingStream download && download.verifies(digest);
  }

  /**
   * The content must end here and hash to the digest. Reading its end makes a self-verifying
   * download check its digest (throwing {@link DigestMismatchException} on a mismatch).
   */
  private void verify(InputStream content) {
    try {
      if (content.read() != -1) {
        throw new RegistryException(action, "content is longer than the announced size", null);
      }
    } catch (IOException e) {
      throw new RegistryException(action, "reading the content failed: " + e, e);
    }
    if (selfVerifying(content)) {
      return;
    }
    Digest actual = new Digest(digest.algorithm(), Hashing.hex(hasher));
    if (!actual.equals(digest)) {
      throw new DigestMismatchException(action, digest, actual);
    }
  }

  private int fill(InputStream content, byte[] chunk) {
    try {
      return content.readNBytes(chunk, 0, chunk.length);
    } catch (IOException e) {
      throw new RegistryException(action, "reading the content failed: " + e, e);
    }
  }

  /** The {@code Location} of {@code response}, resolved against the request URL. */
  static HttpUrl nextLocation(Response response, HttpUrl requestUrl, String action) {
    String header = response.header("Location");
    HttpUrl resolved = header == null ? null : requestUrl.resolve(header);
    if (resolved == null) {
      throw new RegistryException(
          action, response.code() + " without a usable Location header (" + header + ")", null);
    }
    return resolved;
  }
}
