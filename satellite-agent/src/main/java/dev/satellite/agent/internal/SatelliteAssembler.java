package dev.satellite.agent.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.internal.support.StateDirectory;
import dev.satellite.agent.metrics.HttpSide;
import dev.satellite.core.ConfigHandler;
import dev.satellite.core.LeaderLease;
import dev.satellite.core.Reconciler;
import dev.satellite.core.Replicator;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncListener;
import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.persistence.AtomicFileUploadJournal;
import dev.satellite.registry.ImageCopier;
import dev.satellite.registry.OciStateSource;
import dev.satellite.registry.Platform;
import dev.satellite.registry.Referrers;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
import dev.satellite.registry.SignaturePolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Builds a satellite's parts from its builder's settings and wires them together: the state
 * directory, the fleet membership (when joining Ground Control), the checkpoint store, the edge
 * link, the image copier with its upload journal, the state source over the metered upstream, the
 * replicators and the {@link Reconciler} over them all.
 *
 * <p>Ownership: what the settings hand in (registry clients, a state store, listeners and
 * handlers) stays the caller's and is never closed here. Everything built here is added, as it is
 * built, to the returned {@link Assembled#owned() resources}, which close it in reverse order.
 * When a step fails, what was built before it is closed before the exception leaves {@link
 * #assemble}: nothing stays open, no lock stays taken.
 */
public final class SatelliteAssembler {
  private static final int RESUME_CHUNK_SIZE = 16 * 1024 * 1024;

  private final Settings settings;
  private final Resources owned = new Resources();

  /**
   * Where the desired state is read.
   *
   * @param upstream the caller's upstream client; null in a fleet
   * @param stateReference the satellite state reference; null in a fleet
   * @param fleet how to join Ground Control, or null outside a fleet
   * @param hostOverrides published host to reached {@code host:port}, in the order given
   */
  public record Source(RegistryClient upstream, String stateReference, Fleet.Settings fleet,
      Map<String, String> hostOverrides, boolean requireDigests) {}

  /**
   * Where the satellite keeps its files; at least one of the first three is set.
   *
   * @param stateDirectory the state directory, or null
   * @param checkpointFile the checkpoint file instead of the directory's, or null
   * @param stateStore the caller's checkpoint store instead of a file, or null
   * @param uploadJournal the upload journal's directory instead of the directory's, or null
   * @param leaderLease the lease that decides whether this satellite leads, or null when it is
   *     alone at its site; closed with the satellite
   */
  public record Storage(Path stateDirectory, Path checkpointFile, StateStore stateStore,
      Path uploadJournal, boolean resumableUploads, long resumeThreshold,
      LeaderLease leaderLease) {}

  /**
   * How images are copied.
   *
   * @param edge the caller's edge client; may be null in a fleet whose config names the edge
   * @param signaturePolicy or null for none
   * @param blobParallelism or null for the copier's default
   */
  public record Copying(RegistryClient edge, List<Platform> platforms, Referrers referrers,
      SignaturePolicy signaturePolicy, Integer blobParallelism, Clock clock,
      EdgeLink.Options link) {}

  /**
   * Who hears of passes and configs, and how wide a pass works; each may be null (the
   * parallelisms then take the reconciler's defaults).
   */
  public record Reconciling(SyncListener listener, ConfigHandler configHandler,
      Consumer<SatelliteConfig> configListener, Integer groupParallelism,
      Integer entityParallelism) {}

  /**
   * Who observes the satellite at work, beside the listeners of {@link Reconciling}: the HTTP
   * clients' interceptors, one more pass listener (metrics), and how the checkpoint store's saves
   * are timed.
   */
  public record Observing(HttpObserver http, SyncListener listener,
      UnaryOperator<StateStore> store) {
    public static final Observing NONE =
        new Observing(HttpObserver.NONE, null, UnaryOperator.identity());
  }

  /** Everything the builder hands over. */
  public record Settings(Source source, Storage storage, Copying copying,
      Reconciling reconciling, Observing observing) {
    public Settings {
      Objects.requireNonNull(observing, "observing");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(copying, "copying");
      Objects.requireNonNull(reconciling, "reconciling");
    }
  }

  /**
   * The assembled satellite.
   *
   * @param owned what was built, to be closed when the satellite closes
   * @param stateDirectory the state directory's absolute path, or null
   * @param fleet the fleet membership, or null outside a fleet
   * @param edge the edge registry the satellite copies to now
   * @param schedule the pass interval the config asks for, which the pass loop follows
   */
  public record Assembled(Resources owned, Reconciler reconciler, Path stateDirectory,
      Fleet fleet, Supplier<RegistryClient> edge, PassSchedule schedule) {}

  private SatelliteAssembler(Settings settings) {
    this.settings = settings;
  }

  /**
   * Builds and wires every part.
   *
   * @throws RuntimeException what the failing step threw, after what was built is closed
   */
  public static Assembled assemble(Settings settings) {
    return new SatelliteAssembler(settings).assemble();
  }

  private Assembled assemble() {
    try {
      LeaderLease lease = settings.storage().leaderLease();
      if (lease != null) {
        owned.add(lease); // released last, once the passes and everything else stopped
      }
      Path stateDirectory = settings.storage().stateDirectory();
      StateDirectory directory =
          stateDirectory == null ? null : owned.add(StateDirectory.open(stateDirectory));
      return assemble(directory);
    } catch (RuntimeException e) {
      try {
        owned.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Builds the parts in the order they depend on each other; each is final once built, and none
   * is attached to another later. Closed in reverse: the reconciler (its workers stop first, before
   * what they use), the fleet (heartbeats, edge switch, membership), the copier, the state
   * source's clients, the upload journal, the edge client observed, the checkpoint store, the
   * state directory's lock, the lease.
   */
  private Assembled assemble(StateDirectory directory) {
    Copying copying = settings.copying();
    Observing observing = settings.observing();
    StateStore store = observing.store().apply(checkpointStore(directory));
    RegistryClient builderEdge = copying.edge() == null ? null
        : observing.http().listener(HttpSide.EDGE) == null ? copying.edge()
        : owned.add(observing.http().observe(copying.edge().newBuilder(), HttpSide.EDGE).build());
    EdgeLink edgeLink = copying.link().build(upstreamBytesFile(directory));
    ImageCopier.Builder copier = copier(edgeLink, directory);
    Fleet.Settings membership = settings.source().fleet();
    if (membership == null) {
      OciStateSource stateSource = stateSource(edgeLink, settings.source().upstream(),
          settings.source().stateReference(), Map.of());
      ImageCopier imageCopier = owned.add(copier.build()); // closed before the source's clients
      return reconciler(directory, store, builderEdge, edgeLink, imageCopier, stateSource, null);
    }
    Membership member = Membership.join(membership, directory.path());
    Fleet fleet;
    OciStateSource stateSource;
    ImageCopier imageCopier;
    try {
      stateSource = stateSource(edgeLink, member.upstream(), member.stateReference(),
          member.stateHostOverrides());
      imageCopier = owned.add(copier.build());
    } catch (RuntimeException e) {
      member.close();
      throw e;
    }
    fleet = owned.add(Fleet.open(member, membership, stateSource,
        stateSource::satelliteStateDigest, builderEdge,
        replicators(stateSource, imageCopier), store, directory.path()));
    return reconciler(directory, store, builderEdge, edgeLink, imageCopier, stateSource, fleet);
  }

  /**
   * The config appliers, the replicator and the reconciler over them; {@code fleet} may be null.
   */
  private Assembled reconciler(StateDirectory directory, StateStore store,
      RegistryClient builderEdge, EdgeLink edgeLink, ImageCopier imageCopier,
      OciStateSource stateSource, Fleet fleet) {
    Reconciling reconciling = settings.reconciling();
    Observing observing = settings.observing();
    List<ConfigAppliers.Applier> linkAndApplication = new ArrayList<>();
    linkAndApplication.add(edgeLink);
    linkAndApplication.add(edgeLink.bandwidthCap(imageCopier));
    Consumer<SatelliteConfig> typed = reconciling.configListener();
    if (typed != null) {
      linkAndApplication.add((previous, next) -> typed.accept(next));
    }
    ConfigAppliers appliers = fleet != null
        ? fleet.configAppliers(linkAndApplication, reconciling.configHandler())
        : new ConfigAppliers(linkAndApplication, body -> body, reconciling.configHandler(),
            (digest, body) -> { });
    if (fleet != null) {
      fleet.applyStartConfig(appliers);
    }
    Replicator replicator = fleet != null ? fleet.replicator()
        : owned.add(replicators(stateSource, imageCopier).apply(builderEdge));
    SyncListener listener = listeners(reconciling, observing, directory);
    Reconciler.Builder reconciler = Reconciler.builder()
        .stateSource(fleet == null ? stateSource : fleet.stateSource())
        .replicator(replicator)
        .stateStore(store)
        .upstreamMeter(edgeLink.meter())
        .listener(edgeLink.listener(fleet == null ? listener : fleet.listener(listener)))
        .configHandler(appliers);
    if (fleet != null) {
      reconciler.edgeGeneration(fleet::edgeGeneration);
    }
    if (reconciling.groupParallelism() != null) {
      reconciler.groupParallelism(reconciling.groupParallelism());
    }
    if (reconciling.entityParallelism() != null) {
      reconciler.entityParallelism(reconciling.entityParallelism());
    }
    Reconciler built = owned.add(reconciler.build()); // its workers stop before what they use
    Fleet member = fleet;
    return new Assembled(owned, built, directory == null ? null : directory.path(), fleet,
        fleet != null ? member::edge : () -> builderEdge,
        fleet != null ? fleet.schedule() : new PassSchedule());
  }

  /** Replicators to a given edge, over the state source's upstream clients and the copier. */
  private Function<RegistryClient, RegistryReplicator> replicators(OciStateSource stateSource,
      ImageCopier imageCopier) {
    Copying copying = settings.copying();
    return to -> {
      RegistryReplicator.Builder replicator =
          RegistryReplicator.builder(stateSource.registryClients(), to)
              .copier(imageCopier).referrers(copying.referrers()).clock(copying.clock());
      if (copying.signaturePolicy() != null) {
        replicator.signaturePolicy(copying.signaturePolicy());
      }
      return replicator.build();
    };
  }

  /**
   * The last pass's file (with a state directory), the observing listener, then the
   * application's; null when there is none.
   */
  private static SyncListener listeners(Reconciling reconciling, Observing observing,
      StateDirectory directory) {
    List<SyncListener> all = new ArrayList<>();
    if (directory != null) {
      all.add(new LastPassFile(directory.resolve(StateDirectory.LAST_PASS_FILE)));
    }
    if (observing.listener() != null) {
      all.add(observing.listener());
    }
    if (reconciling.listener() != null) {
      all.add(reconciling.listener());
    }
    return all.isEmpty() ? null
        : all.size() == 1 ? all.get(0) : SyncListener.all(all.toArray(SyncListener[]::new));
  }

  /** The caller's store, or a checkpoint file of our own. */
  private StateStore checkpointStore(StateDirectory directory) {
    Storage storage = settings.storage();
    if (storage.stateStore() != null) {
      return storage.stateStore();
    }
    return owned.add(AtomicFileStateStore.open(storage.checkpointFile() != null
        ? storage.checkpointFile() : directory.resolve(StateDirectory.CHECKPOINT_FILE)));
  }

  /** In the state directory, else next to the checkpoint file, else none (kept in memory). */
  private Path upstreamBytesFile(StateDirectory directory) {
    Path checkpointFile = settings.storage().checkpointFile();
    return directory != null ? directory.resolve(StateDirectory.UPSTREAM_BYTES_FILE)
        : checkpointFile != null
            ? checkpointFile.resolveSibling(checkpointFile.getFileName() + ".upstream-bytes")
            : null;
  }

  private ImageCopier.Builder copier(EdgeLink edgeLink, StateDirectory directory) {
    Storage storage = settings.storage();
    Copying copying = settings.copying();
    ImageCopier.Builder copier =
        edgeLink.configure(ImageCopier.builder().platforms(copying.platforms()));
    if (copying.blobParallelism() != null) {
      copier.blobParallelism(copying.blobParallelism());
    }
    Path journal = storage.uploadJournal() != null ? storage.uploadJournal()
        : directory == null ? null : directory.resolve(StateDirectory.UPLOAD_JOURNAL_DIRECTORY);
    if (storage.resumableUploads() && journal != null) {
      copier.uploadJournal(owned.add(AtomicFileUploadJournal.open(journal)))
          .resumableUploads(storage.resumeThreshold(), RESUME_CHUNK_SIZE);
    }
    return copier;
  }

  /** Reads the state through {@code upstream}, every byte metered. */
  private OciStateSource stateSource(EdgeLink edgeLink, RegistryClient upstream,
      String stateReference, Map<String, String> fleetOverrides) {
    Source source = settings.source();
    OciStateSource.Builder builder = OciStateSource.builder(
        owned.add(edgeLink.metered(upstream, settings.observing().http())), stateReference);
    source.hostOverrides().forEach(builder::hostOverride);
    fleetOverrides.forEach(builder::hostOverride);
    return owned.add(builder.requireDigests(source.requireDigests()).build());
  }
}
