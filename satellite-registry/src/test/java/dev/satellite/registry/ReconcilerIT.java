package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.Reconciler;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.AccessLog;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole chain against two real registries: state published with {@link StatePublisher},
 * read by {@link OciStateSource}, applied by the {@link Reconciler} through a
 * {@link RegistryReplicator}; then the upstream changes and the edge follows.
 */
@RequiresRegistry
class ReconcilerIT {
  private static final String USER = "ground-control";
  private static final String PASSWORD = "upstream-secret";

  private DistributionRegistry upstreamRegistry;
  private DistributionRegistry edgeRegistry;
  private RegistryClient upstream;
  private RegistryClient edge;
  private StatePublisher publisher;
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final TestBlob base = TestBlob.random(1, 256 * 1024);

  @BeforeEach
  void start() {
    upstreamRegistry = DistributionRegistry.builder().basicAuth(USER, PASSWORD).start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstream =
        RegistryClient.builder(upstreamRegistry.baseUrl())
            .credentials(Credentials.basic(USER, PASSWORD))
            .build();
    edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
    publisher =
        StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {upstream, edge, upstreamRegistry, edgeRegistry}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private String push(String repository, Format format, long seed, String... tags) {
    TestImage image = TestImages.image(format, seed, base, TestBlob.random(seed, 64 * 1024));
    return ImagePush.push(upstream, repository, image, tags).toString();
  }

  private String publish(List<String> g1, List<String> g2Name, List<StateImage> g2) {
    String registry = upstreamRegistry.baseUrl();
    String ref1 = publisher.publishGroup("g1", registry, images(g1)).reference();
    String ref2 = publisher.publishGroup(g2Name.get(0), registry, g2).reference();
    return publisher.publishSatellite("edge-1", List.of(ref1, ref2), Optional.empty()).reference();
  }

  private static List<StateImage> images(List<String> specs) {
    return specs.stream()
        .map(s -> s.split(":"))
        .map(p -> new StateImage(p[0], List.of(p[1].split("\\+")), Optional.empty()))
        .toList();
  }

  private SyncReport sync(String stateRef) {
    return sync(stateRef, store);
  }

  private SyncReport sync(String stateRef, InMemoryStateStore checkpoints) {
    try (OciStateSource source = new OciStateSource(upstream, stateRef);
        RegistryReplicator replicator = new RegistryReplicator(source.registryClients(), edge)) {
      return Reconciler.builder()
          .stateSource(source)
          .replicator(replicator)
          .stateStore(checkpoints)
          .build()
          .sync();
    }
  }

  private Optional<String> atEdge(String repository, String reference) {
    return edge.headManifest(repository, reference).map(d -> d.digest().toString());
  }

  @Test
  void edgeFollowsAddedMovedAndRemovedTagsAndGroups() {
    String app1 = push("proj/app1", Format.OCI, 10, "v1", "latest");
    String app2 = push("proj/app2", Format.DOCKER, 20, "v1");
    String index =
        ImagePush.push(upstream, "proj/multi", TestImages.multiArch(Format.OCI, 30, base), "v1")
            .toString();
    String state =
        publish(List.of("proj/app1:v1+latest", "proj/app2:v1"), List.of("g2"),
            images(List.of("proj/multi:v1")));

    SyncReport first = sync(state);

    assertThat(first.ok()).as(first.toJson()).isTrue();
    assertThat(first.replicated()).isEqualTo(4);
    assertThat(atEdge("proj/app1", "v1")).contains(app1);
    assertThat(atEdge("proj/app1", "latest")).contains(app1);
    assertThat(atEdge("proj/app2", "v1")).contains(app2);
    assertThat(atEdge("proj/multi", "v1")).contains(index);
    for (Descriptor child : edge.getManifest("proj/multi", index).children()) {
      assertThat(atEdge("proj/multi", child.digest().toString())).isPresent();
    }

    // app1:v1 moves to a new image, app1:latest and app2 leave g1, g2 leaves, g3 arrives.
    String app1moved = push("proj/app1", Format.OCI, 11, "v1");
    String app3 = push("proj/app3", Format.OCI, 40, "v1");
    String changed =
        publish(List.of("proj/app1:v1"), List.of("g3"), images(List.of("proj/app3:v1")));
    assertThat(changed).isEqualTo(state);

    SyncReport second = sync(state);

    assertThat(second.ok()).as(second.toJson()).isTrue();
    assertThat(atEdge("proj/app1", "v1")).contains(app1moved);
    assertThat(atEdge("proj/app3", "v1")).contains(app3);
    assertThat(atEdge("proj/app1", app1)).as("old digest of the moved tag").isEmpty();
    assertThat(atEdge("proj/app1", "latest")).isEmpty();
    assertThat(atEdge("proj/app2", "v1")).isEmpty();
    assertThat(atEdge("proj/multi", "v1")).as("image of the removed group").isEmpty();
    assertThat(store.load().orElseThrow().groups()).hasSize(2);
  }

  @Test
  void coldPassAsksTheEdgeAboutEachImagesManifestOnlyByHead() {
    String app1 = push("proj/app1", Format.OCI, 10, "v1");
    String app2 = push("proj/app2", Format.DOCKER, 20, "v1");
    String state =
        publish(List.of("proj/app1:v1"), List.of("g2"), images(List.of("proj/app2:v1")));

    assertThat(sync(state).ok()).isTrue();

    List<AccessLog.Entry> manifestRequests = edgeRegistry.requests().stream()
        .filter(e -> e.path().contains("/manifests/"))
        .toList();
    assertThat(manifestRequests)
        .as("the copy and the referrers walk reuse the manifest they put: none is read back")
        .noneMatch(AccessLog.Entry::isManifestGet);
    for (String[] image : new String[][] {{"proj/app1", app1}, {"proj/app2", app2}}) {
      assertThat(manifestRequests)
          .filteredOn(e -> e.method().equals("HEAD"))
          .extracting(AccessLog.Entry::path)
          .filteredOn(path -> path.startsWith("/v2/" + image[0] + "/"))
          .as("a HEAD of the tag, then one of the digest (an untagged copy left by a crash)")
          .containsExactly(
              "/v2/" + image[0] + "/manifests/v1", "/v2/" + image[0] + "/manifests/" + image[1]);
    }
  }

  @Test
  void withTheCheckpointLostAPassAsksTheEdgeOneHeadPerTagAndNothingElse() {
    push("proj/app1", Format.OCI, 10, "v1", "latest");
    push("proj/app2", Format.DOCKER, 20, "v1");
    String state =
        publish(List.of("proj/app1:v1+latest"), List.of("g2"), images(List.of("proj/app2:v1")));
    assertThat(sync(state).ok()).isTrue();
    int seenAtEdge = edgeRegistry.requests().size();

    SyncReport lost = sync(state, new InMemoryStateStore());

    assertThat(lost.ok()).as(lost.toJson()).isTrue();
    assertThat(edgeRegistry.requests().subList(seenAtEdge, edgeRegistry.requests().size()))
        .extracting(e -> e.method() + " " + e.path())
        .as("the tags' HEADs say each is an image: no blob, no manifest read, no write")
        .containsExactlyInAnyOrder(
            "HEAD /v2/proj/app1/manifests/v1", "HEAD /v2/proj/app1/manifests/latest",
            "HEAD /v2/proj/app2/manifests/v1");
  }

  @Test
  void restartWithUnchangedUpstreamFetchesNoImageBlobOrManifest() {
    push("proj/app1", Format.OCI, 10, "v1");
    push("proj/app2", Format.DOCKER, 20, "v1");
    String state =
        publish(List.of("proj/app1:v1"), List.of("g2"), images(List.of("proj/app2:v1")));
    assertThat(sync(state).ok()).isTrue();
    int seen = upstreamRegistry.requests().size();
    int seenAtEdge = edgeRegistry.requests().size();

    SyncReport restart = sync(state);

    assertThat(restart.ok()).isTrue();
    assertThat(restart.unchanged()).isEqualTo(2);
    List<AccessLog.Entry> after = upstreamRegistry.requests();
    List<AccessLog.Entry> imageRequests =
        after.subList(seen, after.size()).stream()
            .filter(e -> !e.inRepositoryUnder("satellite/"))
            .filter(e -> e.isBlobGet() || e.isManifestGet())
            .toList();
    assertThat(imageRequests).isEmpty();
    assertThat(after.subList(seen, after.size()))
        .as("the restart did read the state artifacts")
        .anyMatch(e -> e.inRepositoryUnder("satellite/") && e.isBlobGet());
    assertThat(edgeRegistry.requests().subList(seenAtEdge, edgeRegistry.requests().size()))
        .as("the checkpoint is the baseline: the edge is not even asked")
        .isEmpty();
  }
}
