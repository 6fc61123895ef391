package dev.satellite.registry.internal.blob;

import dev.satellite.registry.Digest;
import dev.satellite.registry.DigestMismatchException;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.Hashing;
import dev.satellite.registry.internal.RegistryCaller;
import dev.satellite.registry.internal.RegistryRequest;
import dev.satellite.registry.internal.V2Paths;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob uploads in the three stages of the distribution spec:
 *
 * <ol>
 *   <li>{@code POST /v2/<repo>/blobs/uploads/} opens a session; its {@code Location} (relative or
 *       absolute, query kept) is where the data goes;
 *   <li>either one streamed {@code PUT <location>?digest=<d>} with {@code Content-Length}, or, for
 *       unknown or large sizes, {@code PATCH} chunks with {@code Content-Range: <from>-<to>}, each
 *       answered with the next {@code Location};
 *   <li>the closing {@code PUT <location>?digest=<d>} commits; it is sent only after the content
 *       was hashed and matched.
 * </ol>
 *
 * Cross-repository mount is a {@code POST ...?mount=<d>&from=<repo>}: 201 mounted, 202 declined.
 */
public final class BlobUploader {
  private static final Logger LOG = LoggerFactory.getLogger(BlobUploader.class);
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

  private final RegistryCaller caller;
  private final HttpUrl base;
  private final long chunkThreshold;
  private final int chunkSize;

  public BlobUploader(RegistryCaller caller, HttpUrl base, long chunkThreshold, int chunkSize) {
    this.caller = caller;
    this.base = base;
    this.chunkThreshold = chunkThreshold;
    this.chunkSize = chunkSize;
  }

  public void push(String repository, Digest digest, long size, InputStream content) {
    String action = action("push blob", repository, digest);
    List<String> scopes = List.of(V2Paths.push(repository));
    MessageDigest hasher = Hashing.newMessageDigest(digest.algorithm());
    Runnable verify = () -> verify(content, hasher, digest, action);
    HttpUrl location = start(scopes, repository, action);
    if (size >= 0 && size <= chunkThreshold) {
      StreamedBody body = new StreamedBody(content, size, hasher, verify, action);
      commit(location, digest, body, false, scopes, action);
      return;
    }
    if (size >= 0) {
      location = patchKnownSize(location, content, size, hasher, verify, scopes, action);
    } else {
      location = patchUnknownSize(location, content, hasher, scopes, action);
      verify.run();
    }
    commit(location, digest, RequestBody.create(new byte[0], OCTET_STREAM), true, scopes, action);
  }

  public Digest push(String repository, byte[] content) {
    Digest digest = Digest.of(content);
    String action = action("push blob", repository, digest);
    List<String> scopes = List.of(V2Paths.push(repository));
    HttpUrl location = start(scopes, repository, action);
    commit(location, digest, RequestBody.create(content, OCTET_STREAM), true, scopes, action);
    return digest;
  }

  public boolean mount(String repository, Digest digest, String fromRepository) {
    String action =
        "mount blob "
            + digest
            + " from "
            + fromRepository
            + " into "
            + repository
            + " at "
            + caller.registry();
    HttpUrl url =
        V2Paths.uploads(base, repository)
            .newBuilder()
            .addQueryParameter("mount", digest.toString())
            .addQueryParameter("from", V2Paths.requireRepository(fromRepository))
            .build();
    RegistryRequest request =
        RegistryRequest.of(
                action,
                "POST",
                url,
                List.of(V2Paths.push(repository), V2Paths.pull(fromRepository)))
            .withBody(RequestBody.create(new byte[0], null), true);
    HttpUrl session =
        caller.call(
            request, Set.of(201, 202), r -> r.code() == 201 ? null : location(r, url, action));
    if (session == null) {
      return true;
    }
    cancel(session, request.scopes(), action);
    return false;
  }

  private HttpUrl start(List<String> scopes, String repository, String action) {
    HttpUrl url = V2Paths.uploads(base, repository);
    RegistryRequest request =
        RegistryRequest.of(action + " (open upload)", "POST", url, scopes)
            .withBody(RequestBody.create(new byte[0], null), true);
    return caller.call(request, Set.of(202), r -> location(r, url, request.action()));
  }

  private HttpUrl patchKnownSize(
      HttpUrl location,
      InputStream content,
      long size,
      MessageDigest hasher,
      Runnable verify,
      List<String> scopes,
      String action) {
    long sent = 0;
    while (sent < size) {
      long length = Math.min(chunkSize, size - sent);
      Runnable atEnd = sent + length == size ? verify : () -> {};
      StreamedBody body = new StreamedBody(content, length, hasher, atEnd, action);
      location = patch(location, body, sent, length, false, scopes, action);
      sent += length;
    }
    return location;
  }

  private HttpUrl patchUnknownSize(
      HttpUrl location,
      InputStream content,
      MessageDigest hasher,
      List<String> scopes,
      String action) {
    byte[] chunk = new byte[chunkSize];
    long sent = 0;
    while (true) {
      int filled = fill(content, chunk, action);
      if (filled == 0) {
        return location;
      }
      hasher.update(chunk, 0, filled);
      RequestBody body = RequestBody.create(chunk, OCTET_STREAM, 0, filled);
      location = patch(location, body, sent, filled, true, scopes, action);
      sent += filled;
      if (filled < chunk.length) {
        return location;
      }
    }
  }

  private HttpUrl patch(
      HttpUrl location,
      RequestBody body,
      long from,
      long length,
      boolean replayable,
      List<String> scopes,
      String action) {
    RegistryRequest request =
        RegistryRequest.of(action + " (chunk at " + from + ")", "PATCH", location, scopes)
            .withHeader("Content-Range", from + "-" + (from + length - 1))
            .withBody(body, replayable);
    return caller.call(request, Set.of(202), r -> location(r, location, request.action()));
  }

  private void commit(
      HttpUrl location,
      Digest digest,
      RequestBody body,
      boolean replayable,
      List<String> scopes,
      String action) {
    HttpUrl url = location.newBuilder().addQueryParameter("digest", digest.toString()).build();
    RegistryRequest request =
        RegistryRequest.of(action, "PUT", url, scopes).withBody(body, replayable);
    caller.call(request, Set.of(201, 204), r -> null);
  }

  private void cancel(HttpUrl session, List<String> scopes, String action) {
    RegistryRequest request =
        RegistryRequest.of(action + " (cancel upload)", "DELETE", session, scopes);
    try {
      caller.execute(request).close();
    } catch (RegistryException e) {
      LOG.debug("{}: could not cancel the unused upload session: {}", action, e.getMessage());
    }
  }

  private static void verify(
      InputStream content, MessageDigest hasher, Digest digest, String action) {
    try {
      if (content.read() != -1) {
        throw new RegistryException(action, "content is longer than the announced size", null);
      }
    } catch (IOException e) {
      throw new RegistryException(action, "reading the content failed: " + e, e);
    }
    Digest actual = Hashing.finish(digest.algorithm(), hasher);
    if (!actual.equals(digest)) {
      throw new DigestMismatchException(action, digest, actual);
    }
  }

  private static int fill(InputStream content, byte[] chunk, String action) {
    try {
      return content.readNBytes(chunk, 0, chunk.length);
    } catch (IOException e) {
      throw new RegistryException(action, "reading the content failed: " + e, e);
    }
  }

  private static HttpUrl location(okhttp3.Response response, HttpUrl requestUrl, String action) {
    String header = response.header("Location");
    HttpUrl resolved = header == null ? null : requestUrl.resolve(header);
    if (resolved == null) {
      throw new RegistryException(
          action, response.code() + " without a usable Location header (" + header + ")", null);
    }
    return resolved;
  }

  private String action(String verb, String repository, Digest digest) {
    return verb
        + " "
        + digest
        + " to "
        + caller.registry()
        + "/"
        + V2Paths.requireRepository(repository);
  }
}
