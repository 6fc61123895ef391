package dev.satellite.registry.internal.blob;

import dev.satellite.registry.Digest;
import dev.satellite.registry.DigestMismatchException;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.Attempts;
import dev.satellite.registry.internal.Hashing;
import dev.satellite.registry.internal.RegistryCaller;
import dev.satellite.registry.internal.RegistryRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blob body that hashes as it is read and checks the digest at the end of the stream. When the
 * connection drops mid-body, it asks again for the rest with {@code Range: bytes=<n>-}: a 206 whose
 * {@code Content-Range} starts at {@code n} continues the stream; a 200 (ranges unsupported) is
 * read from the start with the first {@code n} bytes skipped. This stream is the one layer that
 * retries a blob body that breaks off (see {@link Attempts}). A drop after which new bytes had
 * arrived is progress and costs no attempt, so a flaky link that keeps moving the blob on (a drop
 * every few MiB of a large layer) does not fail the copy; a drop without a byte of progress counts
 * a failed attempt against the stream's {@link Attempts} (the copy engine's for the blob, else the
 * client's for one call), and when they are used up the stream gives up with a {@link
 * RegistryException}. The requests it sends draw on the same attempts for their own retries. A
 * client whose {@code maxRetries} is 0 does not resume: the drop is then left, uncounted, to the
 * stream's reader (the copy engine transfers the blob again).
 *
 * <p>It can also start part-way ({@link #openFrom}): given the hash state of the first {@code n}
 * bytes (read earlier, elsewhere), it asks for the rest with a {@code Range} from the first request
 * on, and its end check still covers the whole blob.
 */
public final class VerifyingBlobStream extends InputStream implements SelfVerifyingStream {
  private static final Logger LOG = LoggerFactory.getLogger(VerifyingBlobStream.class);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final RegistryCaller caller;
  private final RegistryRequest request;
  private final Digest expected;
  private final MessageDigest hasher;
  private final Attempts attempts;
  private Response response;
  private InputStream body;
  private long position;
  private long positionAtAttach;
  private boolean verified;
  private DigestMismatchException mismatch;
  private boolean closed;

  private final long start;
  private boolean rangeIgnored;

  private VerifyingBlobStream(
      RegistryCaller caller,
      RegistryRequest request,
      Digest expected,
      Attempts attempts,
      MessageDigest hasher,
      long start) {
    this.caller = caller;
    this.request = request;
    this.expected = expected;
    this.hasher = hasher;
    this.attempts = attempts;
    this.start = start;
    this.position = start;
  }

  /**
   * Sends {@code request} (a blob GET) and returns the stream over its body.
   *
   * @throws RegistryException when the response is not 200
   */
  public static VerifyingBlobStream open(
      RegistryCaller caller, RegistryRequest request, Digest expected) {
    VerifyingBlobStream stream =
        new VerifyingBlobStream(caller, request, expected, caller.attempts(),
            Hashing.newMessageDigest(expected.algorithm()), 0);
    Response first = caller.execute(request, stream.attempts);
    if (first.code() != 200) {
      try (first) {
        throw caller.failure(request, first);
      }
    }
    stream.attach(first);
    return stream;
  }

  /**
   * Sends {@code request} (a blob GET) for the bytes from {@code offset} on ({@code Range:
   * bytes=<offset>-}) and returns the stream over them. {@code prefixHash} holds the hash of the
   * first {@code offset} bytes; the stream continues it, so its end check covers the whole blob. A
   * server that ignores the range (200) is read from the start with the first {@code offset} bytes
   * dropped ({@link #rangeIgnored()} then tells).
   *
   * @throws RegistryException when the response is neither a 206 starting at {@code offset} nor a
   *     200 (a 416, say)
   */
  public static VerifyingBlobStream openFrom(
      RegistryCaller caller,
      RegistryRequest request,
      Digest expected,
      long offset,
      MessageDigest prefixHash) {
    if (offset == 0) {
      return open(caller, request, expected);
    }
    VerifyingBlobStream stream = new VerifyingBlobStream(
        caller, request, expected, caller.attempts(), prefixHash, offset);
    stream.requestRest();
    return stream;
  }

  /** Whether a server answered a ranged request with the whole blob (its start was dropped). */
  public boolean rangeIgnored() {
    return rangeIgnored;
  }

  /** Bytes delivered since the stream was opened. */
  public long bytesRead() {
    return position - start;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (length == 0) {
      return 0;
    }
    while (true) {
      int n;
      try {
        n = body.read(buffer, offset, length);
      } catch (IOException e) {
        resume(e);
        continue;
      }
      if (n < 0) {
        verify();
        return -1;
      }
      hasher.update(buffer, offset, n);
      position += n;
      return n;
    }
  }

  @Override
  public boolean verifies(Digest digest) {
    return expected.equals(digest);
  }

  /** The offset in the blob of the next byte to read. */
  public long position() {
    return position;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      response.close();
    }
  }

  /** Checks the digest once; every later end-of-stream read repeats a mismatch. */
  private void verify() {
    if (!verified) {
      verified = true;
      Digest actual = new Digest(expected.algorithm(), Hashing.hex(hasher));
      if (!actual.equals(expected)) {
        mismatch = new DigestMismatchException(request.action(), expected, actual);
      }
    }
    if (mismatch != null) {
      throw mismatch;
    }
  }

  private void resume(IOException failure) {
    response.close();
    if (!caller.retries()) { // not a retrying layer: the stream's reader decides
      throw new RegistryException(request.action(), "connection lost after " + position
          + " bytes (not resumed: the client's maxRetries is 0): " + failure, failure);
    }
    boolean progress = position > positionAtAttach; // a drop after progress costs no attempt
    if (!progress && !attempts.retryAfterFailure()) {
      throw new RegistryException(
          request.action(),
          "connection lost after " + position + " bytes; gave up after " + attempts.failed()
              + " failed attempts (resumes that brought new bytes not counted): " + failure,
          failure);
    }
    LOG.debug(
        "{}: connection lost after {} bytes ({}), resuming",
        request.action(),
        position,
        failure.toString());
    requestRest();
  }

  /** Asks for the bytes from {@code position} on. */
  private void requestRest() {
    RegistryRequest ranged = request.withHeader("Range", "bytes=" + position + "-");
    Response next = caller.execute(ranged, attempts);
    try {
      if (next.code() == 206) {
        checkContentRange(next);
        attach(next);
      } else if (next.code() == 200) {
        attach(next);
        rangeIgnored = true;
        skipAlreadyRead();
      } else {
        throw caller.failure(ranged, next);
      }
    } catch (RuntimeException e) {
      next.close();
      throw e;
    }
  }

  private void checkContentRange(Response next) {
    String header = next.header("Content-Range");
    Matcher m = header == null ? null : CONTENT_RANGE.matcher(header.trim());
    if (m == null || !m.matches() || Long.parseLong(m.group(1)) != position) {
      throw new RegistryException(
          request.action(),
          "resuming at byte "
              + position
              + ": the server answered 206 with Content-Range "
              + header
              + ", which does not start there",
          null);
    }
  }

  /**
   * After a 200 to a ranged request: drop the bytes already delivered, resuming again on a drop.
   */
  private void skipAlreadyRead() {
    try {
      body.skipNBytes(position);
    } catch (IOException e) {
      resume(e);
    }
  }

  private void attach(Response next) {
    this.response = next;
    this.positionAtAttach = position;
    this.body = next.body().byteStream();
  }
}
