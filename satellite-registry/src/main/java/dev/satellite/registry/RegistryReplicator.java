package dev.satellite.registry;

import dev.satellite.core.Entity;
import dev.satellite.core.PolicyRefusalException;
import dev.satellite.core.ReferrersResult;
import dev.satellite.core.ReplicationProgress;
import dev.satellite.core.ReplicationResult;
import dev.satellite.core.Replicator;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.TransferDeferredException;
import dev.satellite.registry.internal.referrers.CosignSignatures;
import dev.satellite.registry.internal.referrers.ReferrerSync;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The core {@link Replicator} over HTTP: copies each entity from its group's upstream registry to
 * the edge registry with an {@link ImageCopier}, and deletes from the edge.
 *
 * <p>Pull and push are separate clients. The pull side is a resolver from a group's {@code
 * registry} value (as written in the group state, e.g. {@code https://harbor.example.com}) to a
 * client built with that registry's own credentials and TLS; the push side is the one edge client.
 * Credentials of one side never reach the other. Each entity is copied by digest into the same
 * repository path at the edge and tagged with its tag.
 *
 * <p>Blobs shared between images are transferred once per edge: the copier mounts a blob from
 * another edge repository known to hold it. What it learns while copying lives in memory only; the
 * reconciler's {@link #edgeRepositories} hint (the repositories its checkpoint and the group states
 * name) restores that knowledge in a fresh process, at the cost of at most {@link
 * ImageCopier.Builder#maxMountProbes} {@code HEAD} requests to the edge per blob missing at the
 * target repository (see {@link ImageCopier} for the whole protocol).
 *
 * <pre>{@code
 * RegistryClient upstream = RegistryClient.builder("https://harbor.example.com")
 *     .credentials(Credentials.basic(user, password)).build();
 * RegistryClient edge = RegistryClient.builder("http://127.0.0.1:5000").build();
 * Replicator replicator = new RegistryReplicator(registry -> upstream, edge);
 * }</pre>
 *
 * <p><b>Referrers.</b> With {@link Builder#referrers} (default {@link Referrers#ALL}), each
 * image's signatures, SBOMs and attestations follow it ({@link #replicateReferrers}): found at the
 * source through the referrers API, the referrers tag {@code sha256-<hex>}, and cosign's {@code
 * .sig}/{@code .att}/{@code .sbom} tags; copied byte for byte after the image; listed in the
 * edge's referrers tag when the edge does not keep referrers itself; deleted with the image.
 *
 * <p><b>Signature policy.</b> With {@link Builder#signaturePolicy}, an image is copied only when a
 * cosign signature for its digest verifies with one of the policy's keys; it lands with that
 * signature. Otherwise the entity fails, naming the image and the key check, and nothing is
 * tagged for it.
 *
 * <p>Thread-safe when the resolver is. Close it to stop the copier it created.
 */
public final class RegistryReplicator implements Replicator, AutoCloseable {
  private final Function<String, RegistryClient> sources;
  private final RegistryClient edge;
  private final ImageCopier copier;
  private final boolean ownsCopier;
  private final Referrers referrers;
  private final ReferrerSync referrerSync;
  private final Optional<CosignSignatures> signatures;

  /**
   * With a default {@link ImageCopier} (4 blobs in parallel, indexes copied whole), all referrers,
   * no signature policy.
   */
  public RegistryReplicator(Function<String, RegistryClient> sources, RegistryClient edge) {
    this(builder(sources, edge));
  }

  /** With this copier, which the caller keeps and closes; all referrers, no signature policy. */
  public RegistryReplicator(
      Function<String, RegistryClient> sources, RegistryClient edge, ImageCopier copier) {
    this(builder(sources, edge).copier(copier));
  }

  private RegistryReplicator(Builder b) {
    this.sources = b.sources;
    this.edge = b.edge;
    this.ownsCopier = b.copier == null;
    this.copier = b.copier != null ? b.copier : ImageCopier.builder().build();
    this.referrers = b.referrers;
    this.referrerSync =
        new ReferrerSync(b.referrers, copier.engine(), copier.sharedUploadWait(), b.clock);
    this.signatures = Optional.ofNullable(b.signaturePolicy).map(CosignSignatures::new);
  }

  /**
   * Starts a replicator from {@code sources} (a group's {@code registry} value to its client) to
   * {@code edge}.
   */
  public static Builder builder(Function<String, RegistryClient> sources, RegistryClient edge) {
    return new Builder(sources, edge);
  }

  /**
   * Copies {@code entity} from {@code sourceRegistry} to the edge.
   *
   * @throws SatelliteException naming the entity, the source and the edge, with the copier's
   *     failure ({@link RegistryException}, {@link DigestMismatchException}, ...) as cause; no tag
   *     was changed
   */
  @Override
  public ReplicationResult replicate(
      String sourceRegistry, Entity entity, ReplicationProgress progress) {
    RegistryClient source = source(sourceRegistry, entity.toString());
    try {
      Digest digest = Digest.parse(entity.digest());
      Optional<CosignSignatures.Verified> signature =
          signatures.map(s -> s.verify(source, entity.repository(), digest));
      CopyResult r =
          copier.copy(CopyRequest.of(source, entity.repository(), digest)
                  .to(edge, entity.repository())
                  .tags(List.of(entity.tag()))
                  .progress(progress));
      if (signature.isPresent()) {
        copier.copy(CopyRequest.of(source, entity.repository(),
                signature.get().manifest().digest())
            .to(edge, entity.repository())
            .tags(List.of(signature.get().tag()))
            .progress(progress));
      }
      return r.transfer();
    } catch (TransferDeferredException e) {
      throw new TransferDeferredException(
          "copy " + entity + " from " + source.registry() + " to " + edge.registry(), e);
    } catch (PolicyRefusalException e) {
      throw new PolicyRefusalException(
          "copy " + entity + " from " + source.registry() + " to " + edge.registry(), e);
    } catch (SatelliteException e) {
      throw new SatelliteException(
          "copy " + entity + " from " + source.registry() + " to " + edge.registry() + ": "
              + e.getMessage(), e);
    }
  }

  /**
   * Copies the referrers of {@code repository@digest}, already at the edge, from {@code
   * sourceRegistry} (see {@link ReferrerSync} for the protocol). Given the mark of the last call,
   * nothing is asked while it is younger than {@link Referrers#recheckInterval()}; after that only
   * probes are made when nothing changed: the repository's tag listing (once per pass for all its
   * images), then one {@code HEAD} per referrers tag that exists, or one referrers API request per
   * image and referrer.
   *
   * @return empty when referrers are {@link Referrers#NONE}
   * @throws SatelliteException naming the image, the source and the edge, with the cause
   */
  @Override
  public Optional<ReferrersResult> replicateReferrers(
      String sourceRegistry,
      String repository,
      String digest,
      Optional<String> recorded,
      long pass,
      ReplicationProgress progress) {
    if (!referrers.enabled()) {
      return Optional.empty();
    }
    RegistryClient source =
        source(sourceRegistry, "referrers of " + repository + "@" + digest);
    try {
      ReferrerSync.Outcome outcome = referrerSync.copy(source, edge, repository,
          Digest.parse(digest), recorded, pass, progress);
      return Optional.of(
          new ReferrersResult(outcome.copied(), outcome.mark(), outcome.unchanged()));
    } catch (TransferDeferredException e) {
      throw new TransferDeferredException("copy referrers of " + repository + "@" + digest
          + " from " + source.registry() + " to " + edge.registry(), e);
    } catch (SatelliteException e) {
      throw new SatelliteException("copy referrers of " + repository + "@" + digest + " from "
          + source.registry() + " to " + edge.registry() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes from the edge the referrers of {@code repository@digest} (referrers tag, referrers API
   * when the edge serves it, cosign tags), their own referrers first, then its referrers tag;
   * referrers {@code stillDesired} accepts stay. Does nothing when referrers are {@link
   * Referrers#NONE} and there is no signature policy.
   *
   * @throws SatelliteException when the edge refused or failed
   */
  @Override
  public void deleteReferrers(String repository, String digest, Predicate<String> stillDesired) {
    if (referrers.enabled() || signatures.isPresent()) {
      referrerSync.delete(edge, repository, Digest.parse(digest),
          d -> stillDesired.test(d.toString()));
    }
  }

  /**
   * Passes {@code repositories} to the copier as mount candidates at the edge ({@link
   * ImageCopier#addMountCandidates}): a blob missing in the repository being copied is then looked
   * for ({@code HEAD}, at most {@link ImageCopier.Builder#maxMountProbes} repositories per blob)
   * and mounted from there before it is fetched from upstream. No request is made here.
   *
   * @throws IllegalArgumentException when a repository name is not valid
   */
  @Override
  public void edgeRepositories(Set<String> repositories) {
    copier.addMountCandidates(edge, repositories);
  }

  /**
   * Deletes manifest {@code digest} (and so every tag on it) from the edge; absent is fine.
   *
   * @throws SatelliteException when the edge refused or failed
   */
  @Override
  public void deleteManifest(String repository, String digest) {
    try {
      edge.deleteManifest(repository, Digest.parse(digest));
    } catch (RegistryException e) {
      if (e.statusCode().orElse(0) != 404) {
        throw e;
      }
    }
  }

  /**
   * Deletes tag {@code tag} from the edge.
   *
   * @return false when the edge registry does not support deleting tags
   * @throws SatelliteException when the edge refused or failed for another reason
   */
  @Override
  public boolean deleteTag(String repository, String tag) {
    return edge.deleteTag(repository, tag);
  }

  /** Closes the copier when this replicator created it; the clients stay open. */
  @Override
  public void close() {
    if (ownsCopier) {
      copier.close();
    }
  }

  /** Options of a {@link RegistryReplicator}. */
  public static final class Builder {
    private final Function<String, RegistryClient> sources;
    private final RegistryClient edge;
    private ImageCopier copier;
    private Referrers referrers = Referrers.ALL;
    private SignaturePolicy signaturePolicy;
    private Clock clock = Clock.systemUTC();

    private Builder(Function<String, RegistryClient> sources, RegistryClient edge) {
      this.sources = Objects.requireNonNull(sources, "sources");
      this.edge = Objects.requireNonNull(edge, "edge");
    }

    /** Copy with this copier, which the caller keeps and closes (default: one of its own). */
    public Builder copier(ImageCopier copier) {
      this.copier = Objects.requireNonNull(copier, "copier");
      return this;
    }

    /** Which referrers travel with their images (default {@link Referrers#ALL}). */
    public Builder referrers(Referrers referrers) {
      this.referrers = Objects.requireNonNull(referrers, "referrers");
      return this;
    }

    /** Place only images whose cosign signature verifies with the policy (default: none). */
    public Builder signaturePolicy(SignaturePolicy policy) {
      this.signaturePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The clock that tells when the referrers of an image were last looked at (default the
     * system's; see {@link Referrers#recheckInterval()}).
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public RegistryReplicator build() {
      return new RegistryReplicator(this);
    }
  }

  private RegistryClient source(String sourceRegistry, String what) {
    RegistryClient source;
    try {
      source = sources.apply(sourceRegistry);
    } catch (RuntimeException e) {
      throw new SatelliteException(
          "copy " + what + ": no client for source registry '" + sourceRegistry + "': "
              + e.getMessage(), e);
    }
    if (source == null) {
      throw new SatelliteException(
          "copy " + what + ": no client configured for source registry '"
              + sourceRegistry + "'");
    }
    return source;
  }
}
