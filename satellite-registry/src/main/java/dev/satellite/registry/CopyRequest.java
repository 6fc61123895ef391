package dev.satellite.registry;

import dev.satellite.core.OciGrammar;
import dev.satellite.core.ReplicationProgress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One image copy for {@link ImageCopier#copy(CopyRequest)}: which image, from where, to where,
 * under which tags. Each registry client is given together with its repository, so the two ends
 * cannot be swapped by argument position:
 *
 * <pre>{@code
 * copier.copy(CopyRequest.of(upstream, "library/app", digest)
 *     .to(edge, "library/app")
 *     .tags(List.of("v1")));
 * }</pre>
 *
 * <p>Immutable: each method returns a new request. Repositories and tags are validated as they are
 * given; the destination is required by {@link ImageCopier#copy(CopyRequest)}.
 */
public final class CopyRequest {
  private final RegistryClient source;
  private final String sourceRepository;
  private final Digest digest;
  private final RegistryClient destination;
  private final String destinationRepository;
  private final List<String> tags;
  private final ReplicationProgress progress;

  private CopyRequest(
      RegistryClient source,
      String sourceRepository,
      Digest digest,
      RegistryClient destination,
      String destinationRepository,
      List<String> tags,
      ReplicationProgress progress) {
    this.source = source;
    this.sourceRepository = sourceRepository;
    this.digest = digest;
    this.destination = destination;
    this.destinationRepository = destinationRepository;
    this.tags = tags;
    this.progress = progress;
  }

  /**
   * The copy of {@code source/repository@digest}, with no destination yet, no tags and no progress
   * reports.
   *
   * @throws IllegalArgumentException when the repository is not valid
   */
  public static CopyRequest of(RegistryClient source, String repository, Digest digest) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(digest, "digest");
    OciGrammar.requireRepository(repository);
    return new CopyRequest(
        source, repository, digest, null, null, List.of(), ReplicationProgress.NONE);
  }

  /**
   * This copy into {@code destination/repository}.
   *
   * @throws IllegalArgumentException when the repository is not valid
   */
  public CopyRequest to(RegistryClient destination, String repository) {
    Objects.requireNonNull(destination, "destination");
    OciGrammar.requireRepository(repository);
    return new CopyRequest(
        source, sourceRepository, digest, destination, repository, tags, progress);
  }

  /**
   * This copy tagged with each of {@code tags} at the destination (none: by digest only).
   *
   * @throws IllegalArgumentException when a tag is not valid
   */
  public CopyRequest tags(List<String> newTags) {
    newTags.forEach(OciGrammar::requireTag);
    return new CopyRequest(
        source, sourceRepository, digest, destination, destinationRepository,
        List.copyOf(newTags), progress);
  }

  /** This copy telling {@code listener} of blob bytes as they stream (from blob threads). */
  public CopyRequest progress(ReplicationProgress listener) {
    Objects.requireNonNull(listener, "progress");
    return new CopyRequest(
        source, sourceRepository, digest, destination, destinationRepository, tags, listener);
  }

  public RegistryClient source() {
    return source;
  }

  public String sourceRepository() {
    return sourceRepository;
  }

  public Digest digest() {
    return digest;
  }

  /** Empty until {@link #to} was called. */
  public Optional<RegistryClient> destination() {
    return Optional.ofNullable(destination);
  }

  /** Empty until {@link #to} was called. */
  public Optional<String> destinationRepository() {
    return Optional.ofNullable(destinationRepository);
  }

  public List<String> tags() {
    return tags;
  }

  public ReplicationProgress progress() {
    return progress;
  }

  @Override
  public String toString() {
    return "CopyRequest[" + source.registry() + "/" + sourceRepository + "@" + digest + " -> "
        + (destination == null ? "?" : destination.registry() + "/" + destinationRepository)
        + (tags.isEmpty() ? "" : " as " + String.join(", ", tags)) + "]";
  }
}
