package dev.satellite.registry.internal.blob;

import dev.satellite.core.TransferDeferredException;
import dev.satellite.registry.Digest;
import dev.satellite.registry.internal.BlobEndpoints;
import dev.satellite.registry.internal.Failures;
import dev.satellite.registry.internal.RegistryCaller;
import dev.satellite.registry.internal.RegistryRequest;
import dev.satellite.registry.internal.V2Paths;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
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
 * <p>A commit whose answer was lost counts as done when the repository has the blob (see {@link
 * UploadSession}); content held in memory is sent once more, in a new session, when the
 * registry forgot the session without having the blob.
 *
 * <p>A session that fails is deleted (best effort). Cross-repository mount is a {@code POST
 * ...?mount=<d>&from=<repo>}: 201 mounted; 202 declined, and the session the registry opened
 * instead is deleted.
 */
public final class BlobUploader {
  private static final Logger LOG = LoggerFactory.getLogger(BlobUploader.class);

  private final RegistryCaller caller;
  private final HttpUrl base;
  private final BlobEndpoints blobs;
  private final long chunkThreshold;
  private final int chunkSize;

  /** @param blobs asks whether a blob is there when the answer to a commit was lost */
  public BlobUploader(
      RegistryCaller caller, HttpUrl base, BlobEndpoints blobs, long chunkThreshold,
      int chunkSize) {
    this.caller = caller;
    this.base = base;
    this.blobs = blobs;
    this.chunkThreshold = chunkThreshold;
    this.chunkSize = chunkSize;
  }

  /** Uploads {@code size} bytes ({@code -1}: unknown) of {@code content} as blob {@code digest}. */
  public void push(String repository, Digest digest, long size, InputStream content) {
    UploadSession session = start(repository, digest);
    try {
      if (size < 0) {
        session.patchUnknownSize(content, chunkSize);
      } else if (size > chunkThreshold) {
        session.patchKnownSize(content, size, chunkSize, position -> {});
      } else {
        session.putWhole(content, size);
      }
    } catch (RuntimeException e) {
      session.cancel();
      throw e;
    }
  }

  /**
   * Uploads {@code size} bytes in {@code PATCH} chunks of {@code chunkSize}, in a new session or
   * continuing the one at {@code resumeAt}; {@code content} starts at the session's offset and,
   * when that is not 0, must verify the whole blob itself ({@link SelfVerifyingStream}).
   * {@code afterChunk} is told where the session stands after each accepted chunk. A failure that
   * may pass (no response, 5xx except 501, 408, 429) leaves the session open for a later resume,
   * and so does a {@link TransferDeferredException} from {@code afterChunk}; any other cancels it.
   */
  public void pushInChunks(
      String repository,
      Digest digest,
      long size,
      InputStream content,
      int chunkSize,
      Optional<UploadPosition> resumeAt,
      Consumer<UploadPosition> afterChunk) {
    long offset = resumeAt.map(UploadPosition::offset).orElse(0L);
    if (offset > size) {
      throw new IllegalArgumentException(
          "upload of " + digest + " cannot resume at " + offset + " of " + size + " bytes");
    }
    if (offset > 0
        && !(content instanceof SelfVerifyingStream stream && stream.verifies(digest))) {
      throw new IllegalArgumentException("resuming the upload of " + digest
          + " needs content that verifies the whole blob (the session never sees its start)");
    }
    UploadSession session =
        resumeAt.isPresent()
            ? session(repository, digest, sameOrigin(resumeAt.get().location(), digest), offset)
            : start(repository, digest);
    try {
      session.patchKnownSize(content, size, chunkSize, afterChunk);
    } catch (RuntimeException e) {
      if (!Failures.mayPass(e) && !(e instanceof TransferDeferredException)) {
        session.cancel();
      }
      throw e;
    }
  }

  /**
   * Where the upload session at {@code location} stands, or empty when the registry no longer
   * knows it (see {@link UploadSession#status}).
   *
   * @throws IllegalArgumentException when the location is not on this registry's origin
   */
  public Optional<UploadPosition> status(String repository, Digest digest, String location) {
    HttpUrl url = sameOrigin(location, digest);
    return UploadSession.status(caller, pushScopes(repository), pushAction(repository, digest),
        url);
  }

  private HttpUrl sameOrigin(String location, Digest digest) {
    HttpUrl url = HttpUrl.parse(location);
    if (url == null || !url.scheme().equals(base.scheme()) || !url.host().equals(base.host())
        || url.port() != base.port()) {
      throw new IllegalArgumentException("the recorded upload session of " + digest
          + " is not on " + base.scheme() + "://" + caller.registry() + ": refusing to use it");
    }
    return url;
  }

  /**
   * Uploads a small blob held in memory; returns its sha256 digest. When the registry forgot the
   * session after a commit whose answer was lost, without having the blob, the bytes are sent once
   * more in a new session.
   */
  public Digest push(String repository, byte[] content) {
    Digest digest = Digest.of(content);
    try {
      putBytes(repository, digest, content);
    } catch (UploadSession.SessionLost lost) {
      LOG.debug("{}; sending it again in a new upload session", lost.getMessage());
      putBytes(repository, digest, content);
    }
    return digest;
  }

  private void putBytes(String repository, Digest digest, byte[] content) {
    UploadSession session = start(repository, digest);
    try {
      session.putBytes(content);
    } catch (RuntimeException e) {
      session.cancel();
      throw e;
    }
  }

  /** True when the registry linked the blob from {@code fromRepository} (201). */
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
    List<String> scopes = List.of(V2Paths.push(repository), V2Paths.pull(fromRepository));
    HttpUrl url =
        V2Paths.uploads(base, repository)
            .newBuilder()
            .addQueryParameter("mount", digest.toString())
            .addQueryParameter("from", V2Paths.requireRepository(fromRepository))
            .build();
    RegistryRequest request =
        RegistryRequest.of(action, "POST", url, scopes)
            .withBody(RequestBody.create(new byte[0], null), true);
    MountAnswer answer =
        caller.call(
            request,
            Set.of(201, 202),
            r ->
                new MountAnswer(
                    r.code() == 201, Optional.ofNullable(r.header("Location")).map(url::resolve)));
    if (!answer.mounted()) {
      answer
          .session()
          .ifPresent(s -> new UploadSession(caller, scopes, action, digest,
              present(repository, digest), s, 0).cancel());
    }
    return answer.mounted();
  }

  /** 201 mounted; 202 declined, with the upload session the registry opened instead. */
  private record MountAnswer(boolean mounted, Optional<HttpUrl> session) {}

  private String pushAction(String repository, Digest digest) {
    return "push blob " + digest + " to " + caller.registry() + "/"
        + V2Paths.requireRepository(repository);
  }

  private static List<String> pushScopes(String repository) {
    return List.of(V2Paths.push(repository));
  }

  private UploadSession start(String repository, Digest digest) {
    String action = pushAction(repository, digest);
    List<String> scopes = pushScopes(repository);
    HttpUrl url = V2Paths.uploads(base, repository);
    RegistryRequest request =
        RegistryRequest.of(action + " (open upload)", "POST", url, scopes)
            .withBody(RequestBody.create(new byte[0], null), true);
    HttpUrl location =
        caller.call(
            request, Set.of(202), r -> UploadSession.nextLocation(r, url, request.action()));
    return session(repository, digest, location, 0);
  }

  /** A session at {@code location} whose first {@code accepted} bytes the registry has. */
  private UploadSession session(
      String repository, Digest digest, HttpUrl location, long accepted) {
    return new UploadSession(caller, pushScopes(repository), pushAction(repository, digest),
        digest, present(repository, digest), location, accepted);
  }

  /** Asks whether {@code repository} has the blob ({@code HEAD}). */
  private BooleanSupplier present(String repository, Digest digest) {
    return () -> blobs.head(repository, digest).isPresent();
  }
}
