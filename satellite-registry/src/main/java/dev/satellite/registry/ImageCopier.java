package dev.satellite.registry;

import dev.satellite.core.OciGrammar;
import dev.satellite.core.UploadJournal;
import dev.satellite.registry.internal.copy.BandwidthLimit;
import dev.satellite.registry.internal.copy.BlobLocations;
import dev.satellite.registry.internal.copy.BlobSettings;
import dev.satellite.registry.internal.copy.CopyEngine;
import dev.satellite.registry.internal.copy.MountCandidates;
import dev.satellite.registry.internal.copy.ResumeSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies one image, by digest, from a repository of a source registry to a repository of a
 * destination registry, under zero or more tags. Steps, cheapest first:
 *
 * <ol>
 *   <li>{@code HEAD} each tag at the destination: when all already resolve to the digest, the copy
 *       is done ({@link CopyResult#alreadyPresent()}) and nothing is read from the source.
 *   <li>When the image itself is already at the destination by digest (another tag of it was
 *       copied before), {@code GET} it there by digest, check its digest, and {@code PUT} it under
 *       each missing tag: nothing is read from the source and no blob is asked about. Copies of one
 *       image into one repository under different tags at the same time take turns: the first
 *       finds or copies it, the later ones wait for it (at most {@link
 *       Builder#sharedUploadWait}) and only {@code PUT} their tags, with the manifest it placed.
 *   <li>{@code GET} the source manifest <em>by digest</em> and check its bytes hash to it, so a tag
 *       moving upstream cannot slip another image in.
 *   <li>Image manifest: copy its blobs (config and layers), at most {@code blobParallelism} at a
 *       time, each the cheapest way (see <em>Blob placement</em> below), streaming from the
 *       source {@code GET} straight into the destination upload only when nothing cheaper works:
 *       never held in memory or on disk, digest verified while streaming, a mismatch failing with
 *       {@link DigestMismatchException} before anything is committed. A blob's failed attempts
 *       are bounded together ({@link Builder#maxBlobAttempts}, default 5): every kind of failure
 *       is retried by one layer only (see the README's "Retries").
 *   <li>Index (OCI index, Docker manifest list): each child not already at the destination is
 *       copied like an image and pushed by digest; by default every child (the index is copied
 *       whole and keeps its digest).
 *   <li>Last, the manifest itself, byte for byte (no media type conversion, digest preserved):
 *       first by digest, then under each tag. A failure before this point leaves no tag changed.
 * </ol>
 *
 * <p><b>Platform filter.</b> With {@link Builder#platforms} set, only matching children of an
 * index are copied. An index whose children are missing is invalid (registries refuse it), so the
 * copier then pushes a new index listing only those children: its digest differs from the
 * source's, and {@link CopyResult#digest()} says which one was pushed. Leave the filter unset when
 * the destination must serve the exact upstream digest.
 *
 * <p><b>Blob placement.</b> For each blob, in order, stopping at the first that works:
 *
 * <ol>
 *   <li>{@code HEAD} it in the destination repository: there means skipped.
 *   <li>Single flight: one copy of this copier at a time puts a given blob into a given registry.
 *       A copy that needs a blob another copy is placing right now (two images sharing a base
 *       layer copied in parallel) waits for it (at most {@link Builder#sharedUploadWait}, then
 *       goes on regardless), and then finds it in place (one more {@code HEAD}) or mounts it from
 *       where it landed. Placements of one blob never race, so no repository's link to it is
 *       written twice at once.
 *   <li>Known location: this copier remembers, in a bounded map, which destination repositories
 *       it saw holding, uploaded or mounted each blob; a blob known in another repository of the
 *       same registry is mounted from it ({@code POST ?mount=&from=}).
 *   <li>Mount candidates: repositories named with {@link #addMountCandidates} (a reconciler names
 *       those its checkpoint records, so a process started after a crash knows what the edge
 *       holds), except those this copier has copied into (what it put or found there is known
 *       from the step above; a blob such a repository held before, under a tag not copied now,
 *       is then not looked for there). Up to {@link Builder#maxMountProbes} of them (default 8), those sharing the most
 *       leading path segments with the target first, then the most recently named or used, are
 *       asked with {@code HEAD}, one after the other; the blob is mounted from the first that has
 *       it. Only a 404 means absent: a candidate answering 401 or 403 (or another 4xx) is skipped,
 *       a 5xx or a lost connection ends the search. Never a reason to fail the copy.
 *   <li>Stream it from the source. With an {@link Builder#uploadJournal}, a large blob is
 *       streamed resumably instead: in chunks, its bytes spooled and the session recorded, so that
 *       a copy interrupted by a crash continues where it stopped (only the rest is fetched from the
 *       source; the rest uploaded when the destination still knows the session). {@link
 *       CopyResult#bytesResumed()} and {@link CopyResult#restartedUploads()} tell how that went.
 * </ol>
 *
 * <p>Cost of a blob absent from the destination repository: one {@code HEAD} there, then at most
 * {@code maxMountProbes} {@code HEAD}s at candidates (none without candidates), then one mount
 * {@code POST} or the transfer (source {@code GET}, upload {@code POST} + {@code PUT}). A declined
 * mount adds the {@code DELETE} of the upload session the registry opened instead.
 *
 * <p><b>Slow links.</b> {@link Builder#maxBandwidth} holds the blob bytes all copies of this copier
 * read from sources to one rate together; a {@link Builder#transferGate} (e.g. {@link LinkRules}:
 * sync windows, a byte budget per pass) is asked before each blob transfer and after each
 * resumable chunk, and may defer the image ({@link dev.satellite.core.TransferDeferredException}):
 * no further blob of it starts, transfers running finish (a resumable one stops at its next chunk
 * boundary, kept in the journal), and no manifest is pushed, so nothing is tagged.
 *
 * <p>Thread-safe; one copier serves any number of concurrent copies. Close it to stop the thread
 * pool it owns.
 */
public final class ImageCopier implements AutoCloseable {
  /** Mount candidates remembered per destination registry; the least recently used go first. */
  static final int MAX_MOUNT_CANDIDATES = 10_000;
  static final long DEFAULT_RESUMABLE_THRESHOLD = 64L * 1024 * 1024;
  static final int DEFAULT_RESUMABLE_CHUNK_SIZE = 16 * 1024 * 1024;

  private final CopyEngine engine;
  private final ExecutorService ownedExecutor;
  private final MountCandidates candidates = new MountCandidates(MAX_MOUNT_CANDIDATES);
  private final Duration sharedUploadWait;
  private final BandwidthLimit bandwidth;

  private ImageCopier(Builder b) {
    this.sharedUploadWait = b.sharedUploadWait;
    this.bandwidth = BandwidthLimit.unlimited();
    if (b.maxBandwidth > 0) {
      bandwidth.bytesPerSecond(b.maxBandwidth);
    }
    ExecutorService executor = b.executor;
    this.ownedExecutor = executor == null ? newPool(b.blobParallelism) : null;
    this.engine =
        new CopyEngine(
            executor != null ? executor : ownedExecutor,
            b.blobParallelism,
            b.platforms,
            new BlobSettings(
                b.maxBlobAttempts, b.retryDelayMillis, b.maxMountProbes, b.sharedUploadWait,
                Optional.ofNullable(b.uploadJournal)
                    .map(j -> new ResumeSettings(j, b.resumableThreshold, b.resumableChunkSize,
                        RegistryClient::resumableBlobs)),
                Optional.of(bandwidth), b.gate),
            new BlobLocations(b.rememberedBlobs),
            candidates);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Copies an image: {@code request}'s source repository at its digest to its destination
   * repository, tagged with each of its tags (none: by digest only).
   *
   * @throws IllegalArgumentException when the request has no destination ({@link
   *     CopyRequest#to})
   * @throws DigestMismatchException when source content does not hash to its digest
   * @throws RegistryException when a registry refused or failed a request (message names it)
   * @throws dev.satellite.core.SatelliteException for other failures (invalid manifest JSON, a
   *     platform filter matching no child, interruption)
   */
  public CopyResult copy(CopyRequest request) {
    RegistryClient destination =
        request.destination().orElseThrow(() -> new IllegalArgumentException(
            request + " has no destination: give one with CopyRequest.to(client, repository)"));
    return engine.copy(
        request.source(), request.sourceRepository(), request.digest(), destination,
        request.destinationRepository().orElseThrow(), request.tags(), request.progress());
  }

  /**
   * Names repositories of {@code destination} that may hold blobs this copier has not seen there,
   * as candidates to mount from (see the class description); later calls add to earlier ones, and
   * the most recently named rank first. Nothing is requested here. A repository that does not
   * exist (any more) costs one {@code HEAD} answered 404 per blob looked for.
   *
   * @throws IllegalArgumentException when a repository name is not valid (none is then added)
   */
  public void addMountCandidates(RegistryClient destination, Collection<String> repositories) {
    Objects.requireNonNull(destination, "destination");
    List<String> valid = List.copyOf(repositories);
    valid.forEach(OciGrammar::requireRepository);
    candidates.add(destination.registry(), valid);
  }

  /** The copy algorithm, for copies of referrers that share this copier's pool and knowledge. */
  CopyEngine engine() {
    return engine;
  }

  /** The longest wait for another copy's turn ({@link Builder#sharedUploadWait}). */
  Duration sharedUploadWait() {
    return sharedUploadWait;
  }

  /**
   * Changes the bandwidth cap while the copier runs ({@link Builder#maxBandwidth}); empty lifts
   * it. Copies under way follow from their next read.
   *
   * @throws IllegalArgumentException when below 1
   */
  public void maxBandwidth(OptionalLong bytesPerSecond) {
    if (bytesPerSecond.isPresent()) {
      bandwidth.bytesPerSecond(bytesPerSecond.getAsLong());
    } else {
      bandwidth.unlimit();
    }
  }

  /** Stops the thread pool this copier created (an executor given to the builder is left alone). */
  @Override
  public void close() {
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
      try {
        if (!ownedExecutor.awaitTermination(30, TimeUnit.SECONDS)) {
          ownedExecutor.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedExecutor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ExecutorService newPool(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "satellite-blob-copy-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newFixedThreadPool(threads, factory);
  }

  /** Options of an {@link ImageCopier}. */
  public static final class Builder {
    private int blobParallelism = 4;
    private ExecutorService executor;
    private List<Platform> platforms = List.of();
    private int maxBlobAttempts = 5;
    private long retryDelayMillis = 500;
    private int rememberedBlobs = 10_000;
    private int maxMountProbes = 8;
    private Duration sharedUploadWait = Duration.ofMinutes(10);
    private UploadJournal uploadJournal;
    private long resumableThreshold = DEFAULT_RESUMABLE_THRESHOLD;
    private int resumableChunkSize = DEFAULT_RESUMABLE_CHUNK_SIZE;
    private long maxBandwidth;
    private TransferGate gate = TransferGate.OPEN;

    private Builder() {}

    /**
     * Holds the blob bytes read from source registries, by every copy of this copier together, to
     * {@code bytesPerSecond} on average (a token bucket with a burst of a tenth of a second's
     * worth, at least 16 KiB and at most 1 MiB). Each read from a source is paid for before the
     * next, so neither a thread nor a buffer is added per copy. Manifests are not held back. Off
     * by default.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxBandwidth(long bytesPerSecond) {
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("maxBandwidth must be at least 1 byte/s: "
            + bytesPerSecond);
      }
      this.maxBandwidth = bytesPerSecond;
      return this;
    }

    /**
     * Asked before each blob is transferred from the source and after each chunk of a resumable
     * transfer; it may defer the blob and with it the image (see {@link TransferGate}, {@link
     * LinkRules} for sync windows and a byte budget). Default: always open.
     */
    public Builder transferGate(TransferGate gate) {
      this.gate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /**
     * Makes copies of large blobs (see {@link #resumableUploads}) survive interruptions, process
     * restarts included: what was read from the source is kept in {@code journal}'s spool files
     * and the destination's upload session recorded there after each chunk, so that the next copy
     * of the blob (a retry, or the next process) fetches only the rest from the source and, when
     * the destination still knows the session, uploads only the rest. The blob's digest is still
     * checked over all its bytes before the upload is committed. Costs per large blob: its bytes
     * written once more to the journal's disk, and one {@code fsync} and journal write per chunk.
     * Off by default.
     */
    public Builder uploadJournal(UploadJournal journal) {
      this.uploadJournal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * With an {@link #uploadJournal}: blobs of at least {@code threshold} bytes are copied
     * resumably (default 64 MiB), in {@code PATCH} chunks of {@code chunkSize} bytes (default 16
     * MiB; the journal is written once per chunk).
     */
    public Builder resumableUploads(long threshold, int chunkSize) {
      if (threshold < 0 || chunkSize < 64 * 1024) {
        throw new IllegalArgumentException("resumable uploads need a threshold >= 0 and chunks of"
            + " at least 64 KiB: " + threshold + ", " + chunkSize);
      }
      this.resumableThreshold = threshold;
      this.resumableChunkSize = chunkSize;
      return this;
    }

    /** Blobs of one image copied at the same time (default 4). */
    public Builder blobParallelism(int parallelism) {
      if (parallelism < 1 || parallelism > 64) {
        throw new IllegalArgumentException("blobParallelism must be 1..64: " + parallelism);
      }
      this.blobParallelism = parallelism;
      return this;
    }

    /**
     * Run blob copies on this executor instead of a pool the copier creates; the copier never
     * shuts it down. The calling thread copies blobs too, so copies make progress even when the
     * executor is busy.
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Copy only the children of an index that match one of these platforms (e.g. {@code
     * Platform.parse("linux/arm64")}); the pushed index then has another digest (see class doc).
     */
    public Builder platforms(List<Platform> platforms) {
      this.platforms = List.copyOf(platforms);
      return this;
    }

    /**
     * Failed attempts after which the copy of a blob gives up (default 5, at least 1). They are
     * counted together, whatever failed: a source {@code GET} or another request retried on a lost
     * connection, a 5xx, 408 or 429; a source body that broke off and was resumed without a new
     * byte; a streamed upload transferred again. A resume that brings new bytes is progress, not an
     * attempt. Each client's {@link RegistryClient.Builder#maxRetries} still bounds the retries of
     * each of its requests.
     */
    public Builder maxBlobAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxBlobAttempts must be >= 1: " + attempts);
      }
      this.maxBlobAttempts = attempts;
      return this;
    }

    /** Blobs whose destination repositories are remembered for mounts (default 10,000). */
    public Builder rememberedBlobs(int blobs) {
      if (blobs < 1) {
        throw new IllegalArgumentException("rememberedBlobs must be >= 1: " + blobs);
      }
      this.rememberedBlobs = blobs;
      return this;
    }

    /**
     * Mount candidates asked ({@code HEAD}) for a blob missing at the destination before it is
     * transferred from the source (default 8; 0 asks none, 64 at most).
     */
    public Builder maxMountProbes(int probes) {
      if (probes < 0 || probes > 64) {
        throw new IllegalArgumentException("maxMountProbes must be 0..64: " + probes);
      }
      this.maxMountProbes = probes;
      return this;
    }

    /**
     * Longest wait for another copy putting the same blob into the same registry, or the same
     * image into the same repository, before going on regardless (default 10 minutes; zero never
     * waits).
     */
    public Builder sharedUploadWait(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("sharedUploadWait cannot be negative: " + wait);
      }
      this.sharedUploadWait = wait;
      return this;
    }

    /** Delay before retrying a blob transfer, times the attempt number; for tests. */
    Builder retryDelayMillis(long millis) {
      this.retryDelayMillis = millis;
      return this;
    }

    public ImageCopier build() {
      return new ImageCopier(this);
    }
  }
}
