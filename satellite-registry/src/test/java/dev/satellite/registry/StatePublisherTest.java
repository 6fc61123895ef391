package dev.satellite.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.internal.state.GroupStateCodec;
import dev.satellite.registry.internal.state.StateLayerReader;
import dev.satellite.registry.internal.state.StateReferenceResolver;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatePublisherTest {
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T12:45:51.123Z"), ZoneOffset.UTC);
  private static final String STAMP = "20261126T124551.123Z";

  private final MockWebServer targetServer = new MockWebServer();
  private final MockWebServer sourceServer = new MockWebServer();
  private final FakeRegistry target = new FakeRegistry();
  private final FakeRegistry sourceRegistry = new FakeRegistry();
  private final List<String> factoryCalls = new CopyOnWriteArrayList<>();
  private RegistryClient client;
  private String host;
  private StatePublisher publisher;

  @BeforeEach
  void start() throws Exception {
    targetServer.setDispatcher(target);
    sourceServer.setDispatcher(sourceRegistry);
    targetServer.start();
    sourceServer.start();
    host = targetServer.getHostName() + ":" + targetServer.getPort();
    client = RegistryClient.builder("http://" + host).maxRetries(0).build();
    publisher =
        StatePublisher.builder(client)
            .clock(CLOCK)
            .sourceClientFactory(
                url -> {
                  factoryCalls.add(url);
                  return RegistryClient.builder(url).maxRetries(0).build();
                })
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    targetServer.close();
    sourceServer.close();
  }

  @Test
  void pushesBlobsThenTimestampTagThenLatest() {
    StatePublication published = publisher.publishConfig("edge-1", "{}".getBytes(UTF_8));

    String manifests = "/v2/satellite/config-state/edge-1/state/manifests/";
    assertThat(target.writes)
        .containsExactly(
            "PUT blob", "PUT blob", "PUT " + manifests + STAMP, "PUT " + manifests + "latest");
    assertThat(published.tags()).containsExactly("latest", STAMP);
    assertThat(published.reference())
        .isEqualTo(host + "/satellite/config-state/edge-1/state:latest");
    assertThat(published.pinnedReference())
        .isEqualTo(host + "/satellite/config-state/edge-1/state@" + published.digest());
  }

  @Test
  void pushedManifestIsAnOciImageWithOneGzipLayer() {
    StatePublication published = publisher.publishConfig("edge-1", "{}".getBytes(UTF_8));

    Manifest manifest = target.manifest("latest");
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(manifest.digest()).isEqualTo(published.digest());
    assertThat(manifest.config().mediaType()).isEqualTo(MediaTypes.OCI_CONFIG);
    assertThat(manifest.layers())
        .singleElement()
        .extracting(Descriptor::mediaType)
        .isEqualTo(MediaTypes.OCI_LAYER_GZIP);
    assertThat(target.blobs)
        .containsKeys(manifest.config().digest(), manifest.layers().get(0).digest());
  }

  @Test
  void sameContentGivesTheSameDigest() {
    Digest first = publisher.publishConfig("edge-1", "{\"a\":1}".getBytes(UTF_8)).digest();
    Digest second = publisher.publishConfig("edge-1", "{\"a\":1}".getBytes(UTF_8)).digest();
    Digest other = publisher.publishConfig("edge-1", "{\"a\":2}".getBytes(UTF_8)).digest();
    assertThat(first).isEqualTo(second).isNotEqualTo(other);
  }

  @Test
  void resolvesEachTagToItsDigestAtTheSourceRegistry() {
    target.tags.put("library/nginx:1.27", D1);
    target.tags.put("library/nginx:latest", D1);
    target.tags.put("library/nginx:1.26", D2);

    publisher.publishGroup(
        "g1", "http://" + host, List.of(StateImage.of("library/nginx", "1.27", "latest", "1.26")));

    assertThat(target.heads)
        .containsExactly(
            "/v2/library/nginx/manifests/1.27",
            "/v2/library/nginx/manifests/latest",
            "/v2/library/nginx/manifests/1.26");
    assertThat(publishedGroup().entities())
        .containsExactly(
            new Entity("library/nginx", "1.27", D1),
            new Entity("library/nginx", "latest", D1),
            new Entity("library/nginx", "1.26", D2));
    assertThat(factoryCalls).isEmpty();
  }

  @Test
  void pinnedImageIsNotResolved() {
    publisher.publishGroup(
        "g1",
        "https://harbor.example.com",
        List.of(StateImage.pinned("a", Digest.parse(D2), "v1")));
    assertThat(target.heads).isEmpty();
    assertThat(factoryCalls).isEmpty();
    GroupState group = publishedGroup();
    assertThat(group.sourceRegistry()).isEqualTo("https://harbor.example.com");
    assertThat(group.entities()).containsExactly(new Entity("a", "v1", D2));
  }

  @Test
  void sourceOnAnotherHostIsResolvedThroughItsOwnClient() {
    String source = "http://" + sourceServer.getHostName() + ":" + sourceServer.getPort();
    sourceRegistry.tags.put("a:v1", D1);

    publisher.publishGroup("g1", source, List.of(StateImage.of("a", "v1")));

    assertThat(factoryCalls).containsExactly(source);
    assertThat(sourceRegistry.heads).containsExactly("/v2/a/manifests/v1");
    assertThat(target.heads).isEmpty();
    assertThat(publishedGroup().entities()).containsExactly(new Entity("a", "v1", D1));
  }

  @Test
  void missingTagFailsNamingGroupAndTagAndPushesNothing() {
    assertThatThrownBy(
            () ->
                publisher.publishGroup(
                    "g1", "http://" + host, List.of(StateImage.of("library/nginx", "9.9"))))
        .isInstanceOf(SatelliteException.class)
        .hasMessage(
            "publish group state "
                + host
                + "/satellite/group-state/g1/state: resolve "
                + "library/nginx:9.9 at "
                + client.registry()
                + ": not found (404)");
    assertThat(target.writes).isEmpty();
  }

  @Test
  void publishesSatelliteStateWithGroupsAndConfig() {
    StatePublication published =
        publisher.publishSatellite(
            "edge-1",
            List.of("h.example/satellite/group-state/g1/state:latest"),
            Optional.of("h.example/c"));
    assertThat(published.reference())
        .isEqualTo(host + "/satellite/satellite-state/edge-1/state:latest");
    assertThat(new String(artifactsJson(), UTF_8))
        .isEqualTo(
            "{\"states\":[\"h.example/satellite/group-state/g1/state:latest\"],"
                + "\"config\":\"h.example/c\"}");
  }

  @Test
  void configThatIsNotJsonIsRejectedBeforeAnyPush() {
    assertThatThrownBy(() -> publisher.publishConfig("edge-1", "a=b".getBytes(UTF_8)))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith(
            "publish config state "
                + host
                + "/satellite/config-state/edge-1/state: "
                + "artifacts.json is not valid JSON");
    assertThat(target.writes).isEmpty();
  }

  @Test
  void nameThatIsNotARepositoryComponentIsRejected() {
    assertThatThrownBy(() -> publisher.publishConfig("Edge/../1", "{}".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid config-state name 'Edge/../1'");
  }

  @Test
  void failedPushNamesTheArtifact() {
    target.refuseManifests = true;
    assertThatThrownBy(() -> publisher.publishConfig("edge-1", "{}".getBytes(UTF_8)))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith(
            "publish config state " + host + "/satellite/config-state/edge-1/state: PUT manifest")
        .hasMessageContaining("403");
  }

  private GroupState publishedGroup() {
    StateReferenceResolver resolver = StateReferenceResolver.forClient(client, Map.of());
    return GroupStateCodec.decode("g1", artifactsJson(), resolver);
  }

  private byte[] artifactsJson() {
    Manifest manifest = target.manifest("latest");
    byte[] layer = target.blobs.get(manifest.layers().get(0).digest());
    return new StateLayerReader(1 << 20).read(new ByteArrayInputStream(layer), "test");
  }

  /** Answers the upload, manifest and HEAD requests of a registry, keeping what was pushed. */
  private static final class FakeRegistry extends Dispatcher {
    final List<String> writes = new CopyOnWriteArrayList<>();
    final List<String> heads = new CopyOnWriteArrayList<>();
    final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
    final Map<String, String> tags = new ConcurrentHashMap<>();
    volatile boolean refuseManifests;

    Manifest manifest(String tag) {
      return manifests.get(tag);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      String method = request.getMethod();
      if (method.equals("POST") && path.endsWith("/blobs/uploads/")) {
        return new MockResponse.Builder().code(202).setHeader("Location", path + "u1").build();
      }
      if (method.equals("PUT") && path.endsWith("/blobs/uploads/u1")) {
        writes.add("PUT blob");
        blobs.put(
            Digest.parse(request.getUrl().queryParameter("digest")),
            request.getBody().toByteArray());
        return new MockResponse.Builder().code(201).build();
      }
      if (method.equals("PUT") && path.contains("/manifests/")) {
        if (refuseManifests) {
          return new MockResponse.Builder().code(403).build();
        }
        writes.add("PUT " + path);
        String tag = path.substring(path.lastIndexOf('/') + 1);
        manifests.put(
            tag,
            Manifest.of(request.getHeaders().get("Content-Type"), request.getBody().toByteArray()));
        return new MockResponse.Builder().code(201).build();
      }
      if (method.equals("HEAD") && path.contains("/manifests/")) {
        heads.add(path);
        String key = path.substring(4).replace("/manifests/", ":");
        String digest = tags.get(key);
        return digest == null
            ? new MockResponse.Builder().code(404).build()
            : new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                .setHeader("Docker-Content-Digest", digest)
                .setHeader("Content-Length", "500")
                .build();
      }
      return new MockResponse.Builder().code(400).build();
    }
  }
}
