package dev.satellite.registry;

import dev.satellite.core.OciGrammar;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.registry.internal.copy.BlobLocations;
import dev.satellite.registry.internal.copy.CopyEngine;
import java.util.List;
import java.util.Objects;
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
 *   <li>{@code GET} the source manifest <em>by digest</em> and check its bytes hash to it, so a tag
 *       moving upstream cannot slip another image in.
 *   <li>Image manifest: copy its blobs (config and layers), at most {@code blobParallelism} at a
 *       time. Each blob is skipped when the destination has it ({@code HEAD}), mounted from another
 *       destination repository this copier has seen holding it, or else streamed from the source
 *       {@code GET} straight into the destination upload: never held in memory or on disk, digest
 *       verified while streaming, a mismatch failing with {@link DigestMismatchException} before
 *       anything is committed. A failed transfer is retried whole a bounded number of times.
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
 * <p>Thread-safe; one copier serves any number of concurrent copies and remembers, in a bounded
 * map, which destination repositories hold which blobs (for cross-repository mounts). Close it to
 * stop the thread pool it owns.
 */
public final class ImageCopier implements AutoCloseable {
  private final CopyEngine engine;
  private final ExecutorService ownedExecutor;

  private ImageCopier(Builder b) {
    ExecutorService executor = b.executor;
    this.ownedExecutor = executor == null ? newPool(b.blobParallelism) : null;
    this.engine =
        new CopyEngine(
            executor != null ? executor : ownedExecutor,
            b.blobParallelism,
            b.platforms,
            b.maxBlobAttempts,
            b.retryDelayMillis,
            new BlobLocations(b.rememberedBlobs));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Copies {@code source/sourceRepository@digest} to {@code destination/destinationRepository},
   * tagging it with each of {@code tags} (none: by digest only).
   *
   * @param progress told of blob bytes as they stream (called from blob threads)
   * @throws IllegalArgumentException when a repository or tag is not valid
   * @throws DigestMismatchException when source content does not hash to its digest
   * @throws RegistryException when a registry refused or failed a request (message names it)
   * @throws dev.satellite.core.SatelliteException for other failures (invalid manifest JSON, a
   *     platform filter matching no child, interruption)
   */
  public CopyResult copy(
      RegistryClient source,
      String sourceRepository,
      Digest digest,
      RegistryClient destination,
      String destinationRepository,
      List<String> tags,
      ReplicationProgress progress) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(progress, "progress");
    OciGrammar.requireRepository(sourceRepository);
    OciGrammar.requireRepository(destinationRepository);
    tags.forEach(OciGrammar::requireTag);
    return engine.copy(
        source, sourceRepository, digest, destination, destinationRepository, List.copyOf(tags),
        progress);
  }

  /**
   * {@link #copy(RegistryClient, String, Digest, RegistryClient, String, List,
   * ReplicationProgress)} without progress reports.
   *
   * @throws dev.satellite.core.SatelliteException as that method does
   */
  public CopyResult copy(
      RegistryClient source,
      String sourceRepository,
      Digest digest,
      RegistryClient destination,
      String destinationRepository,
      List<String> tags) {
    return copy(
        source, sourceRepository, digest, destination, destinationRepository, tags,
        ReplicationProgress.NONE);
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
    private int maxBlobAttempts = 3;
    private long retryDelayMillis = 500;
    private int rememberedBlobs = 10_000;

    private Builder() {}

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

    /** Tries per blob transfer when it fails in a way that may pass (default 3, at least 1). */
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
