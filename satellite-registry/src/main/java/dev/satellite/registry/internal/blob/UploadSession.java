package dev.satellite.registry.internal.blob;

import dev.satellite.registry.Digest;
import dev.satellite.registry.DigestMismatchException;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.Hashing;
import dev.satellite.registry.internal.RegistryCaller;
import dev.satellite.registry.internal.RegistryRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 */
final class UploadSession {
  private static final Logger LOG = LoggerFactory.getLogger(UploadSession.class);
  static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private static final Pattern RANGE = Pattern.compile("(?:bytes=)?0-(\\d{1,18})");

  private final RegistryCaller caller;
  private final List<String> scopes;
  private final String action;
  private final Digest digest;
  private final MessageDigest hasher;
  private HttpUrl location;
  private long sent;

  UploadSession(
      RegistryCaller caller, List<String> scopes, String action, Digest digest, HttpUrl location) {
    this(caller, scopes, action, digest, location, 0);
  }

  /**
   * A session whose first {@code accepted} bytes the registry already has; its content must then
   * verify the whole blob itself ({@link SelfVerifyingStream}), since this session never sees them.
   */
  UploadSession(
      RegistryCaller caller,
      List<String> scopes,
      String action,
      Digest digest,
      HttpUrl location,
      long accepted) {
    this.caller = caller;
    this.scopes = scopes;
    this.action = action;
    this.digest = digest;
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

  /** Best effort, without retries: deletes the session, which will not be completed. */
  void cancel() {
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

  private void commit(RequestBody body, boolean replayable) {
    HttpUrl url = location.newBuilder().addQueryParameter("digest", digest.toString()).build();
    RegistryRequest request =
        RegistryRequest.of(action, "PUT", url, scopes).withBody(body, replayable);
    caller.call(request, Set.of(201, 204), r -> null);
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
