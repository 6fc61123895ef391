package dev.satellite.registry.testing.faults;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Reconciler;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.Digest;
import dev.satellite.registry.ImageCopier;
import dev.satellite.registry.OciStateSource;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.registry.internal.state.StateArtifactImage;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Two real registries, upstream (Basic auth) and edge, each behind a {@link FaultProxy}, and the
 * whole sync chain over them: {@link StatePublisher} publishes group and satellite states through
 * the upstream proxy, {@link OciStateSource} reads them, the {@link Reconciler} applies them to the
 * edge through a {@link RegistryReplicator}. Clients retry fast (50 ms base backoff) so faults cost
 * little time. {@link #edgeTags} reads the edge directly, past its proxy.
 */
public final class SyncRig implements AutoCloseable {
  public static final String USER = "ground-control";
  public static final String PASSWORD = "rig-upstream-Secret-7731";

  public final DistributionRegistry upstreamRegistry;
  public final DistributionRegistry edgeRegistry;
  public final FaultProxy upstreamProxy;
  public final FaultProxy edgeProxy;
  public final RegistryClient upstream;
  public final RegistryClient edge;
  public final RegistryClient edgeDirect;
  private final StatePublisher publisher;

  /** Starts both registries and proxies; clients time out reading after {@code readTimeout}. */
  public SyncRig(Duration readTimeout) {
    upstreamRegistry = DistributionRegistry.builder().basicAuth(USER, PASSWORD).start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstreamProxy = FaultProxy.to(upstreamRegistry.hostPort());
    edgeProxy = FaultProxy.to(edgeRegistry.hostPort());
    upstream = fast(RegistryClient.builder(upstreamProxy.baseUrl()), readTimeout)
        .credentials(Credentials.basic(USER, PASSWORD))
        .build();
    edge = fast(RegistryClient.builder(edgeProxy.baseUrl()), readTimeout).build();
    edgeDirect = RegistryClient.builder(edgeRegistry.baseUrl()).build();
    publisher = StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
  }

  public SyncRig() {
    this(Duration.ofSeconds(10));
  }

  /**
   * Retries about ten times faster than the defaults (500 ms base), but spread over about 1.5 s,
   * longer than the outages the fault tests inject (300 ms): a blob has 5 failed attempts in all,
   * whichever of its requests fail, so retries closer together would spend them in one outage.
   */
  private static dev.satellite.registry.RegistryClient.Builder fast(
      dev.satellite.registry.RegistryClient.Builder b, Duration readTimeout) {
    return b.maxRetries(4)
        .retryBaseDelay(Duration.ofMillis(100))
        .maxRetryDelay(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(readTimeout);
  }

  /** Pushes an image of a config and {@code layers} to the upstream; returns its digest. */
  public Digest push(String repository, long seed, List<TestBlob> layers, String... tags) {
    TestImage image = TestImages.image(
        TestImages.Format.OCI, "linux", "amd64", seed, layers);
    return ImagePush.push(upstream, repository, image, tags);
  }

  /** Pushes an image with one 32 KiB layer of its own. */
  public Digest push(String repository, long seed, String... tags) {
    return push(repository, seed, List.of(TestBlob.random(seed, 32 * 1024)), tags);
  }

  /**
   * Publishes one group state per entry (group name to its images, pinned) and a satellite state
   * listing them; returns the satellite state reference (the same for every publication).
   */
  public String publish(Map<String, List<StateImage>> groups) {
    List<String> refs = new ArrayList<>();
    groups.forEach((name, images) ->
        refs.add(publisher.publishGroup(name, upstreamProxy.baseUrl(), images).reference()));
    return publishSatellite(refs);
  }

  /** A group state {@code artifacts.json} with source registry {@code registry} and entries. */
  public static String groupJson(String registry, String... entries) {
    return "{\"group\": \"g\", \"registry\": \"" + registry + "\", \"artifacts\": ["
        + String.join(", ", entries) + "]}";
  }

  /** One artifact entry of a group state, as Ground Control writes it. */
  public static String entryJson(String repository, String tag, String digest) {
    return "{\"repository\": \"" + repository + "\", \"tag\": [\"" + tag
        + "\"], \"digest\": \"" + digest + "\", \"type\": \"IMAGE\", \"deleted\": false}";
  }

  /**
   * Publishes {@code artifactsJson}, whatever it holds, as the group state {@code group}; returns
   * its reference.
   */
  public String publishRawGroup(String group, byte[] artifactsJson) {
    return publishRaw("satellite/group-state/" + group + "/state",
        StateArtifactImage.of(artifactsJson, false));
  }

  /** Publishes a state artifact image as is under {@code repository:latest}; returns the reference. */
  public String publishRaw(String repository, StateArtifactImage image) {
    upstream.pushBlob(repository, image.config());
    upstream.pushBlob(repository, image.layer());
    upstream.putManifest(repository, "latest", image.manifest());
    return upstreamProxy.hostPort() + "/" + repository + ":latest";
  }

  /** Publishes the satellite state listing {@code groupRefs}; returns its reference. */
  public String publishSatellite(List<String> groupRefs) {
    return publisher.publishSatellite("edge-1", groupRefs, Optional.empty()).reference();
  }

  /** One sync pass with a new reconciler (as after a restart) over {@code store}. */
  public SyncReport sync(String stateRef, StateStore store, ImageCopier copier,
      Consumer<Reconciler.Builder> options) {
    return sync(stateRef, store, copier, options, null);
  }

  /**
   * As {@link #sync(String, StateStore, ImageCopier, Consumer)}, reaching registries other than
   * the upstream with clients from {@code clientFactory} (null: the source's default).
   */
  public SyncReport sync(String stateRef, StateStore store, ImageCopier copier,
      Consumer<Reconciler.Builder> options, Function<String, RegistryClient> clientFactory) {
    OciStateSource.Builder sourceBuilder = OciStateSource.builder(upstream, stateRef);
    if (clientFactory != null) {
      sourceBuilder.clientFactory(clientFactory);
    }
    try (OciStateSource source = sourceBuilder.build();
        RegistryReplicator replicator =
            new RegistryReplicator(source.registryClients(), edge, copier)) {
      Reconciler.Builder b =
          Reconciler.builder().stateSource(source).replicator(replicator).stateStore(store);
      options.accept(b);
      return b.build().sync();
    }
  }

  /** {@code repository:tag} to digest, for every tag of {@code repositories} at the edge. */
  public Map<String, String> edgeTags(Collection<String> repositories) {
    Map<String, String> tags = new TreeMap<>();
    for (String repository : new TreeSet<>(repositories)) {
      for (String tag : edgeDirect.listTags(repository)) {
        edgeDirect.headManifest(repository, tag).ifPresent(
            d -> tags.put(repository + ":" + tag, d.digest().toString()));
      }
    }
    return tags;
  }

  /** {@code repository:tag} to digest of every entity the checkpoint records as in place. */
  public static Map<String, String> checkpointTags(Checkpoint checkpoint) {
    Map<String, String> tags = new TreeMap<>();
    checkpoint.groups().values().forEach(entities -> entities.forEach(
        e -> tags.put(e.repository() + ":" + e.tag(), e.digest())));
    return tags;
  }

  /** {@code repository:tag} to digest of everything {@code groups} desire. */
  public static Map<String, String> desiredTags(Collection<List<StateImage>> groups) {
    Map<String, String> tags = new TreeMap<>();
    groups.forEach(images -> images.forEach(i -> i.tags().forEach(
        t -> tags.put(i.repository() + ":" + t, i.digest().orElseThrow().toString()))));
    return tags;
  }

  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {
        upstream, edge, edgeDirect, upstreamProxy, edgeProxy, upstreamRegistry, edgeRegistry}) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }
}
