package dev.satellite.registry;

import dev.satellite.registry.internal.BlobEndpoints;
import dev.satellite.registry.internal.ListeningInterceptor;
import dev.satellite.registry.internal.ManifestEndpoints;
import dev.satellite.registry.internal.ReferrersEndpoint;
import dev.satellite.registry.internal.RegistryCaller;
import dev.satellite.registry.internal.RegistryRequest;
import dev.satellite.registry.internal.RetryInterceptor;
import dev.satellite.registry.internal.SharedHttpClient;
import dev.satellite.registry.internal.TagLister;
import dev.satellite.registry.internal.blob.BlobUploader;
import dev.satellite.registry.internal.blob.ResumableBlobs;
import dev.satellite.registry.internal.blob.UploadPosition;
import dev.satellite.registry.internal.tls.TlsConfigurer;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.SocketFactory;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * A client of one OCI distribution registry endpoint ({@code https://host:port} or, explicitly,
 * {@code http://host:port}). Immutable and thread-safe: share one per endpoint.
 *
 * <p>Each client derives its own OkHttp client from a shared base ({@link
 * Builder#sharedHttpClient}, else a process-wide default), so clients for different
 * registries have their own TLS settings and credentials but share connections and threads. Every
 * operation goes through one caller whose OkHttp client authenticates (Basic, or Bearer tokens per
 * scope, refreshed once on a 401) and retries transient failures with backoff in its interceptors,
 * and follows redirects, dropping the credentials on the way to another host, scheme or port; the
 * caller maps failures to {@link RegistryException}. Only a 404 means "absent".
 */
public final class RegistryClient implements AutoCloseable {
  /** Manifests larger than this are refused. */
  public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  private final HttpUrl baseUrl;
  private final String registry;
  private final RegistryCaller caller;
  private final ManifestEndpoints manifests;
  private final BlobEndpoints blobs;
  private final BlobUploader uploader;
  private final TagLister tags;
  private final Builder settings;
  private final ResumableBlobs resumable = new Resumable();
  private final ReferrersEndpoint referrers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RegistryClient(Builder b) {
    this.settings = new Builder(b);
    this.baseUrl = b.baseUrl;
    this.registry = b.baseUrl.host() + ":" + b.baseUrl.port();
    OkHttpClient.Builder http =
        (b.shared != null ? b.shared : SharedHttpClient.get())
            .newBuilder()
            .connectTimeout(b.connectTimeout)
            .readTimeout(b.readTimeout)
            .writeTimeout(b.readTimeout);
    b.networkInterceptors.forEach(http::addNetworkInterceptor);
    if (b.socketFactory != null) {
      http.socketFactory(b.socketFactory);
    }
    RetryInterceptor retry =
        new RetryInterceptor(b.maxRetries, b.retryBaseDelay, b.maxRetryDelay, b.sleeper, b.clock);
    this.caller =
        new RegistryCaller(
            http,
            retry,
            tls -> TlsConfigurer.apply(tls, b.tls, registry),
            baseUrl.isHttps() || TlsConfigurer.isCustom(b.tls),
            b.credentials,
            baseUrl,
            b.clock);
    this.manifests = new ManifestEndpoints(caller, baseUrl, MAX_MANIFEST_BYTES);
    this.blobs = new BlobEndpoints(caller, baseUrl);
    this.uploader = new BlobUploader(
        caller, baseUrl, blobs, b.chunkedUploadThreshold, b.uploadChunkSize);
    this.tags = new TagLister(caller, baseUrl);
    this.referrers = new ReferrersEndpoint(caller, baseUrl, MAX_MANIFEST_BYTES);
  }

  /**
   * Starts a client for {@code baseUrl}: {@code https://host[:port]}, or {@code http://host[:port]}
   * for plain HTTP; {@code host[:port]} alone means HTTPS.
   *
   * @throws IllegalArgumentException when the URL is not a bare scheme, host and port
   */
  public static Builder builder(String baseUrl) {
    return new Builder(parseBaseUrl(baseUrl));
  }

  /**
   * A builder with this client's settings (URL, credentials, TLS, retries, timeouts, shared OkHttp
   * client), to derive a client that differs in some of them.
   */
  public Builder newBuilder() {
    return new Builder(settings);
  }

  /** {@code host:port} of this registry, as used in messages. */
  public String registry() {
    return registry;
  }

  /**
   * The base URL of this registry, {@code scheme://host[:port]} (the port only when it is not the
   * scheme's default), as state references and group states name registries.
   */
  public String baseUrl() {
    String url = baseUrl.newBuilder().encodedPath("/").build().toString();
    return url.substring(0, url.length() - 1);
  }

  /**
   * Checks that the registry speaks the distribution API and accepts this client's credentials
   * ({@code GET /v2/}).
   *
   * @throws RegistryException when it does not answer 200
   */
  public void ping() {
    checkOpen();
    HttpUrl url = baseUrl.newBuilder().addPathSegment("v2").addPathSegment("").build();
    caller.call(
        RegistryRequest.of("ping " + registry, "GET", url, List.of()), Set.of(200), r -> null);
  }

  /**
   * The descriptor of a manifest, without downloading it ({@code HEAD}).
   *
   * @param reference a tag or a digest
   * @return empty only when the registry answers 404
   * @throws RegistryException on any other failure (401 and 403 included)
   */
  public Optional<Descriptor> headManifest(String repository, String reference) {
    checkOpen();
    return manifests.head(repository, reference);
  }

  /**
   * Downloads a manifest (accepting OCI and Docker v2 schema 2 manifests and indexes). When {@code
   * reference} is a digest, the content is verified against it.
   *
   * @throws RegistryException when absent (404) or on failure, or when larger than {@link
   *     #MAX_MANIFEST_BYTES}
   * @throws DigestMismatchException when fetched by digest and the content does not match
   */
  public Manifest getManifest(String repository, String reference) {
    checkOpen();
    return manifests.get(repository, reference);
  }

  /**
   * Uploads {@code manifest} byte-for-byte with its own media type, under a tag or its digest.
   * Every blob and child manifest it references must already be in the repository.
   *
   * @return the digest the registry reports ({@code Docker-Content-Digest}), or the manifest's own
   * @throws RegistryException when the registry refuses it
   * @throws DigestMismatchException when the registry reports another digest of the same algorithm
   */
  public Digest putManifest(String repository, String reference, Manifest manifest) {
    checkOpen();
    return manifests.put(repository, reference, manifest);
  }

  /**
   * Uploads a manifest that carries a {@code subject} (a referrer) by its digest, byte for byte,
   * and tells whether the registry answered with {@code OCI-Subject}: a registry that does keeps
   * the referrers list of the subject itself; one that does not leaves the client to maintain the
   * referrers tag ({@code <alg>-<hex>}).
   *
   * @return true when the answer carried {@code OCI-Subject}
   * @throws RegistryException when the registry refuses it
   * @throws DigestMismatchException when the registry reports another digest of the same algorithm
   */
  public boolean putReferrer(String repository, Manifest manifest) {
    checkOpen();
    return manifests
        .putReportingSubject(repository, manifest.digest().toString(), manifest)
        .subjectReported();
  }

  /**
   * The referrers of {@code subject} through the referrers API ({@code GET
   * /v2/<repository>/referrers/<digest>}, every {@code Link} page).
   *
   * @param artifactType asked of the registry as {@code ?artifactType=}; check {@link
   *     ReferrerList#filtersApplied()} and filter yourself when it is false
   * @return empty when the registry answers 404: it does not serve the API (use the referrers tag
   *     schema, {@code <alg>-<hex>}, instead)
   * @throws RegistryException on any other failure, or an answer that is not an image index
   */
  public Optional<ReferrerList> listReferrers(
      String repository, Digest subject, Optional<String> artifactType) {
    checkOpen();
    return referrers.list(repository, subject, artifactType);
  }

  /**
   * Deletes the manifest {@code digest} and every tag pointing at it. A manifest that is already
   * absent (404) is not an error.
   *
   * @throws RegistryException when the registry refuses (deletion disabled: 405 UNSUPPORTED) or
   *     fails
   */
  public void deleteManifest(String repository, Digest digest) {
    checkOpen();
    manifests.delete(repository, digest);
  }

  /**
   * Deletes only the tag {@code tag} ({@code DELETE /v2/<repo>/manifests/<tag>}, an OCI 1.1
   * feature). An already absent tag counts as deleted.
   *
   * @return false when the registry does not support deleting tags: any 405, or a 400 with
   *     UNSUPPORTED or DIGEST_INVALID (a registry that deletes by digest only)
   * @throws RegistryException on any other failure
   */
  public boolean deleteTag(String repository, String tag) {
    checkOpen();
    return manifests.deleteTag(repository, tag);
  }

  /**
   * The size of a blob, if the repository has it ({@code HEAD}).
   *
   * @return empty only when the registry answers 404; -1 when it has the blob but sends no usable
   *     {@code Content-Length}
   * @throws RegistryException on any other failure
   */
  public Optional<Long> headBlob(String repository, Digest digest) {
    checkOpen();
    return blobs.head(repository, digest);
  }

  /**
   * Opens a blob for streaming. The stream hashes while it is read and, at its end, throws {@link
   * DigestMismatchException} if the content does not match {@code digest}. When the connection
   * drops mid-body it re-requests the rest with {@code Range} (or skips what it already has when
   * the server ignores ranges), a bounded number of times, then throws {@link RegistryException}.
   * Close it when done.
   *
   * @throws RegistryException when the blob is absent (404) or cannot be fetched
   */
  public InputStream openBlob(String repository, Digest digest) {
    checkOpen();
    return blobs.open(repository, digest);
  }

  /**
   * Uploads a blob streamed from {@code content}, which is read once and not closed. Small and
   * known sizes go in one {@code PUT}; sizes above the chunking threshold, or unknown ({@code size
   * < 0}), go in {@code PATCH} chunks. The content is hashed while sent; the upload is committed
   * only when it matches {@code digest}. A failed streamed upload is not retried (the stream cannot
   * be replayed); the caller may retry the whole blob. When the answer to the committing {@code
   * PUT} is lost (no response, a 5xx; a retried empty closing {@code PUT} that finds its session
   * gone), the upload counts as done if the repository has the blob ({@code HEAD}).
   *
   * @param size the byte count, or -1 when unknown
   * @throws DigestMismatchException when the content does not hash to {@code digest}
   * @throws RegistryException when the registry refuses or the content has another size
   */
  public void pushBlob(String repository, Digest digest, long size, InputStream content) {
    checkOpen();
    uploader.push(repository, digest, size, content);
  }

  /**
   * The resumable-upload operations of this client, for the copy engine ({@link ResumableBlobs}).
   * Package-private: applications copy with {@link ImageCopier}, which resumes by itself.
   */
  ResumableBlobs resumableBlobs() {
    return resumable;
  }

  /** {@link ResumableBlobs} over this client's endpoints; each call checks the client is open. */
  private final class Resumable implements ResumableBlobs {
    @Override
    public InputStream openBlob(
        String repository, Digest digest, long offset, MessageDigest prefixHash) {
      checkOpen();
      Objects.requireNonNull(prefixHash, "prefixHash");
      if (offset < 0) {
        throw new IllegalArgumentException("negative offset " + offset + " of blob " + digest);
      }
      return blobs.openFrom(repository, digest, offset, prefixHash);
    }

    @Override
    public void pushBlobInChunks(
        String repository,
        Digest digest,
        long size,
        InputStream content,
        int chunkSize,
        Optional<UploadPosition> resumeAt,
        Consumer<UploadPosition> afterChunk) {
      checkOpen();
      if (size < 0 || chunkSize < 1) {
        throw new IllegalArgumentException(
            "chunked upload of " + digest + " needs a known size and a positive chunk size");
      }
      uploader.pushInChunks(repository, digest, size, content, chunkSize, resumeAt, afterChunk);
    }

    @Override
    public Optional<UploadPosition> uploadStatus(
        String repository, Digest digest, String location) {
      checkOpen();
      return uploader.status(repository, digest, location);
    }
  }

  /**
   * Uploads a small blob held in memory (a config, a state artifact layer); retried on transient
   * failures. When the answer to the committing {@code PUT} was lost, the upload counts as done if
   * the repository has the blob ({@code HEAD}); when the registry forgot the session without having
   * the blob, the bytes are sent once more in a new session.
   *
   * @return its sha256 digest
   * @throws RegistryException when the registry refuses
   */
  public Digest pushBlob(String repository, byte[] content) {
    checkOpen();
    return uploader.push(repository, content);
  }

  /**
   * Asks the registry to link blob {@code digest} from {@code fromRepository} into {@code
   * repository} without transferring it.
   *
   * @return true when mounted (201); false when the registry declined (202; the upload session it
   *     opened instead is cancelled), after which the caller uploads the blob
   * @throws RegistryException on failure
   */
  public boolean mountBlob(String repository, Digest digest, String fromRepository) {
    checkOpen();
    return uploader.mount(repository, digest, fromRepository);
  }

  /**
   * All tags of a repository, following {@code Link} pagination.
   *
   * @return empty when the repository does not exist (404)
   * @throws RegistryException on any other failure
   */
  public List<String> listTags(String repository) {
    checkOpen();
    return tags.list(repository);
  }

  /**
   * Closes the client: cancels its requests in flight (a blob streaming at that moment ends with a
   * {@link RegistryException}) and makes later calls throw {@link IllegalStateException}. That is
   * all a client owns: the connection pool and threads belong to the base OkHttp client ({@link
   * Builder#sharedHttpClient}, or the process-wide default) and stay up for the other clients.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      caller.cancelAll();
    }
  }

  @Override
  public String toString() {
    return "RegistryClient[" + baseUrl + "]";
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("RegistryClient for " + registry + " is closed");
    }
  }

  private static HttpUrl parseBaseUrl(String value) {
    Objects.requireNonNull(value, "baseUrl");
    String withScheme = value.contains("://") ? value : "https://" + value;
    HttpUrl url = HttpUrl.parse(withScheme);
    if (url != null && (!url.username().isEmpty() || !url.password().isEmpty())) {
      throw new IllegalArgumentException(
          "invalid registry URL "
              + url.redact()
              + ": user info is not allowed in the URL; use"
              + " credentials(Credentials.basic(..))");
    }
    if (url == null
        || !(url.encodedPath().equals("/") || url.encodedPath().isEmpty())
        || url.query() != null
        || url.fragment() != null) {
      throw new IllegalArgumentException(
          "invalid registry URL '"
              + value
              + "': expected https://host[:port] or http://host[:port]");
    }
    return url;
  }

  /**
   * Settings of a {@link RegistryClient}; every one has a safe default. Not thread-safe; {@link
   * #build()} copies what it needs, so one builder may build several clients.
   */
  public static final class Builder {
    final HttpUrl baseUrl;
    Supplier<Credentials> credentials = Credentials::anonymous;
    TlsOptions tls = TlsOptions.systemDefault();
    int maxRetries = 4;
    Duration retryBaseDelay = Duration.ofMillis(500);
    Duration maxRetryDelay = Duration.ofSeconds(30);
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration readTimeout = Duration.ofSeconds(60);
    long chunkedUploadThreshold = 1024L * 1024 * 1024;
    int uploadChunkSize = 16 * 1024 * 1024;
    OkHttpClient shared;
    final List<Interceptor> networkInterceptors = new ArrayList<>();
    SocketFactory socketFactory;
    RetryInterceptor.Sleeper sleeper = RetryInterceptor.Sleeper.REAL;
    Clock clock = Clock.systemUTC();

    Builder(HttpUrl baseUrl) {
      this.baseUrl = baseUrl;
    }

    /** A builder holding the settings of {@code other}. */
    private Builder(Builder other) {
      this.baseUrl = other.baseUrl;
      this.credentials = other.credentials;
      this.tls = other.tls;
      this.maxRetries = other.maxRetries;
      this.retryBaseDelay = other.retryBaseDelay;
      this.maxRetryDelay = other.maxRetryDelay;
      this.connectTimeout = other.connectTimeout;
      this.readTimeout = other.readTimeout;
      this.chunkedUploadThreshold = other.chunkedUploadThreshold;
      this.uploadChunkSize = other.uploadChunkSize;
      this.shared = other.shared;
      this.networkInterceptors.addAll(other.networkInterceptors);
      this.socketFactory = other.socketFactory;
      this.sleeper = other.sleeper;
      this.clock = other.clock;
    }

    /** Credentials for this registry only; anonymous by default. */
    public Builder credentials(Credentials value) {
      Objects.requireNonNull(value, "credentials");
      this.credentials = () -> value;
      return this;
    }

    /**
     * Credentials that may change while the client lives (a robot account whose secret is
     * rotated): {@code source} is asked at each request, so a change applies from the next
     * request on, including those of an operation in progress. A request refused ({@code 401})
     * with credentials that {@code source} has replaced meanwhile is sent once more with the new
     * ones. {@code source} must be quick, thread-safe and never return null.
     */
    public Builder credentials(Supplier<Credentials> source) {
      this.credentials = Objects.requireNonNull(source, "source");
      return this;
    }

    /** TLS settings; system trust by default. */
    public Builder tls(TlsOptions value) {
      this.tls = Objects.requireNonNull(value, "tls");
      return this;
    }

    /**
     * Retries of a request after its first attempt, for transient failures: no response, a 5xx
     * except 501, 408, 429 (default 4; 0 disables them, and the resumes of a blob download whose
     * connection dropped). One call of this client has at most {@code
     * maxRetries + 1} failed attempts in all, counting its retries, the re-reads of a body that
     * broke off and the resumes of a blob download that brought no new byte (a resume that does is
     * progress, not an attempt). In a copy by {@link ImageCopier}, the blob's {@link
     * ImageCopier.Builder#maxBlobAttempts} bounds them as well.
     */
    public Builder maxRetries(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxRetries must be >= 0, got " + value);
      }
      this.maxRetries = value;
      return this;
    }

    /** First backoff delay, doubled per retry (default 500 ms). */
    public Builder retryBaseDelay(Duration value) {
      this.retryBaseDelay = positive(value, "retryBaseDelay");
      return this;
    }

    /** Longest wait between retries, also the cap on {@code Retry-After} (default 30 s). */
    public Builder maxRetryDelay(Duration value) {
      this.maxRetryDelay = positive(value, "maxRetryDelay");
      return this;
    }

    /** Default 10 s. */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /** Longest silence while reading or writing a body (default 60 s). */
    public Builder readTimeout(Duration value) {
      this.readTimeout = positive(value, "readTimeout");
      return this;
    }

    /** Blobs larger than this are uploaded in {@code PATCH} chunks (default 1 GiB). */
    public Builder chunkedUploadThreshold(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("chunkedUploadThreshold must be >= 0, got " + bytes);
      }
      this.chunkedUploadThreshold = bytes;
      return this;
    }

    /**
     * Size of each {@code PATCH} chunk (default 16 MiB). When the blob size is unknown one chunk is
     * held in memory at a time.
     */
    public Builder uploadChunkSize(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("uploadChunkSize must be >= 1, got " + bytes);
      }
      this.uploadChunkSize = bytes;
      return this;
    }

    /**
     * The OkHttp client to derive from, to share its connection pool and dispatcher with the
     * application. Its redirect, timeout and TLS settings (trust, client certificate, host name
     * verification) are overridden for this client. Its interceptors and event listener are kept
     * and see this client's requests, {@code Authorization} headers included: an interceptor that
     * logs headers must redact that one.
     *
     * <p>This is the one OkHttp type in the library's API, kept on purpose: OkHttp's clients are
     * meant to be shared (each pool and dispatcher holds threads and sockets), an application
     * that already uses OkHttp should not run a second set of them on a small edge device, and its
     * client carries what the application set up for every HTTP call it makes (a proxy selector,
     * DNS, an event listener, tracing). Without it the clients of this library share one
     * process-wide OkHttp client among themselves. Everything else is configured through this
     * builder ({@link #tls}, {@link #exchangeListener}, {@link #socketFactory}).
     */
    public Builder sharedHttpClient(OkHttpClient value) {
      this.shared = Objects.requireNonNull(value, "sharedHttpClient");
      return this;
    }

    /**
     * Adds a listener told of every exchange of this client on the wire (each retry and each
     * authentication round trip too), after the shared client's interceptors have seen it; for
     * metrics and tracing.
     */
    public Builder exchangeListener(HttpExchangeListener listener) {
      networkInterceptors.add(
          new ListeningInterceptor(Objects.requireNonNull(listener, "listener")));
      return this;
    }

    /**
     * Counts every response body byte this client reads in {@code counter} (see {@link
     * UpstreamByteCounter}).
     */
    public Builder byteCounter(UpstreamByteCounter counter) {
      networkInterceptors.add(Objects.requireNonNull(counter, "counter").interceptor());
      return this;
    }

    /**
     * The factory of this client's plain sockets (TLS is layered on them), to set socket options
     * such as a bounded receive buffer; default the shared client's.
     */
    public Builder socketFactory(SocketFactory value) {
      this.socketFactory = Objects.requireNonNull(value, "socketFactory");
      return this;
    }

    Builder sleeper(RetryInterceptor.Sleeper value) {
      this.sleeper = value;
      return this;
    }

    Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException when a TLS PEM file is unreadable or invalid (the message
     *     names the file)
     */
    public RegistryClient build() {
      return new RegistryClient(this);
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
