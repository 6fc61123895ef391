package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.manifestResponse;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SatelliteState;
import dev.satellite.registry.internal.state.StateArtifactImage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OciStateSourceTest {
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String SATELLITE_REPO = "satellite/satellite-state/edge-1/state";
  private static final String GROUP_REPO = "satellite/group-state/g1/state";
  private static final String CONFIG_REPO = "satellite/config-state/edge-1/state";

  private final MockWebServer upstreamServer = new MockWebServer();
  private final MockWebServer otherServer = new MockWebServer();
  private final List<String> factoryCalls = new CopyOnWriteArrayList<>();
  private RegistryClient upstream;
  private String host;
  private OciStateSource source;

  @BeforeEach
  void start() throws Exception {
    upstreamServer.start();
    otherServer.start();
    host = upstreamServer.getHostName() + ":" + upstreamServer.getPort();
    upstream =
        RegistryClient.builder("http://" + host)
            .credentials(Credentials.basic("robot", "s3cret"))
            .maxRetries(0)
            .build();
    source = sourceBuilder(host + "/" + SATELLITE_REPO + ":latest").build();
  }

  @AfterEach
  void stop() {
    source.close();
    upstream.close();
    upstreamServer.close();
    otherServer.close();
  }

  @Test
  void readsSatelliteStateFromManifestThenLayer() throws Exception {
    StateArtifactImage image =
        enqueueState(upstreamServer, "{\"states\":[\"" + host + "/" + GROUP_REPO + "\"]}", false);

    SatelliteState state = source.fetchSatelliteState();

    assertThat(state.groupRefs()).containsExactly(host + "/" + GROUP_REPO);
    assertThat(state.configRef()).isEmpty();
    RecordedRequest manifest = upstreamServer.takeRequest();
    assertThat(manifest.getMethod()).isEqualTo("GET");
    assertThat(manifest.getTarget()).isEqualTo("/v2/" + SATELLITE_REPO + "/manifests/latest");
    RecordedRequest layer = upstreamServer.takeRequest();
    assertThat(layer.getMethod()).isEqualTo("GET");
    assertThat(layer.getTarget())
        .isEqualTo("/v2/" + SATELLITE_REPO + "/blobs/" + image.manifest().layers().get(0).digest());
    assertThat(upstreamServer.getRequestCount()).isEqualTo(2);
  }

  @Test
  void groupStateReadAgainWithAnUnchangedLayerCostsOnlyItsManifest() throws Exception {
    StateArtifactImage image =
        enqueueState(upstreamServer, group("\"" + host + "\"", "a", "[\"v1\"]"), false);
    GroupState first = source.fetchGroup(host + "/" + GROUP_REPO + ":latest");
    upstreamServer.enqueue(manifestResponse(image.manifest()));

    GroupState again = source.fetchGroup(host + "/" + GROUP_REPO + ":latest");

    assertThat(again).isEqualTo(first);
    assertThat(upstreamServer.getRequestCount()).isEqualTo(3);
    upstreamServer.takeRequest();
    upstreamServer.takeRequest();
    assertThat(upstreamServer.takeRequest().getTarget())
        .isEqualTo("/v2/" + GROUP_REPO + "/manifests/latest");
  }

  @Test
  void groupStateWithAnUnchangedManifestIsNotDecodedAgain() {
    StateArtifactImage image =
        enqueueState(upstreamServer, group("\"" + host + "\"", "a", "[\"v1\"]"), false);
    GroupState first = source.fetchGroup(host + "/" + GROUP_REPO + ":latest");
    upstreamServer.enqueue(manifestResponse(image.manifest()));

    assertThat(source.fetchGroup(host + "/" + GROUP_REPO + ":latest")).isSameAs(first);
  }

  @Test
  void groupStateNoLongerListedIsForgottenAndDecodedAgainWhenItReturns() {
    String groupRef = host + "/" + GROUP_REPO + ":latest";
    enqueueState(upstreamServer, "{\"states\":[\"" + groupRef + "\"]}", false);
    source.fetchSatelliteState();
    StateArtifactImage image =
        enqueueState(upstreamServer, group("\"" + host + "\"", "a", "[\"v1\"]"), false);
    GroupState first = source.fetchGroup(groupRef);
    enqueueState(upstreamServer, "{\"states\":[]}", false);
    source.fetchSatelliteState();
    upstreamServer.enqueue(manifestResponse(image.manifest()));

    GroupState returned = source.fetchGroup(groupRef);

    assertThat(returned).isEqualTo(first).isNotSameAs(first);
  }

  @Test
  void groupStateWhoseLayerChangedIsReadFromTheNewLayer() {
    enqueueState(upstreamServer, group("\"" + host + "\"", "a", "[\"v1\"]"), false);
    source.fetchGroup(host + "/" + GROUP_REPO + ":latest");
    enqueueState(upstreamServer, group("\"" + host + "\"", "b", "[\"v2\"]"), false);

    GroupState changed = source.fetchGroup(host + "/" + GROUP_REPO + ":latest");

    assertThat(changed.entities()).extracting(Entity::repository).containsExactly("b");
    assertThat(upstreamServer.getRequestCount()).isEqualTo(4);
  }

  @Test
  void readsDockerV2Schema2StateArtifact() {
    enqueueState(upstreamServer, "{\"states\":[\"h.example/a/state\"],\"config\":\"\"}", true);
    assertThat(source.fetchSatelliteState().groupRefs()).containsExactly("h.example/a/state");
  }

  @Test
  void readsGroupStateWithEntitiesAndSourceRegistry() {
    enqueueState(
        upstreamServer, group("\"" + host + "\"", "library/nginx", "[\"1.27\",\"latest\"]"), false);

    GroupState group = source.fetchGroup(host + "/" + GROUP_REPO + ":latest");

    assertThat(group.ref()).isEqualTo(host + "/" + GROUP_REPO + ":latest");
    assertThat(group.sourceRegistry()).isEqualTo("http://" + host);
    assertThat(group.entities())
        .containsExactly(
            new Entity("library/nginx", "1.27", D1), new Entity("library/nginx", "latest", D1));
  }

  @Test
  void sameHostReferenceUsesTheUpstreamCredentials() throws Exception {
    enqueueState(upstreamServer, group("\"" + host + "\"", "a", "[\"v1\"]"), false);
    source.fetchGroup(host + "/" + GROUP_REPO);
    assertThat(upstreamServer.takeRequest().getHeaders().get("Authorization")).startsWith("Basic ");
    assertThat(factoryCalls).isEmpty();
  }

  @Test
  void otherHostReferenceGetsItsOwnClientWithoutUpstreamCredentials() throws Exception {
    String other = "http://" + otherServer.getHostName() + ":" + otherServer.getPort();
    enqueueState(otherServer, group("\"" + other + "\"", "a", "[\"v1\"]"), false);

    GroupState group = source.fetchGroup(other + "/" + GROUP_REPO);

    assertThat(factoryCalls).containsExactly(other);
    assertThat(group.sourceRegistry()).isEqualTo(other);
    assertThat(otherServer.takeRequest().getHeaders().get("Authorization")).isNull();
    assertThat(upstreamServer.getRequestCount()).isZero();
  }

  @Test
  void otherHostWithoutSchemeIsReachedOverHttps() {
    OciStateSource.Builder builder = sourceBuilder(host + "/" + SATELLITE_REPO);
    try (OciStateSource https = builder.build()) {
      assertThatThrownBy(() -> https.fetchGroup("other.example:5000/" + GROUP_REPO))
          .isInstanceOf(SatelliteException.class);
      assertThat(factoryCalls).containsExactly("https://other.example:5000");
    }
  }

  @Test
  void hostOverrideRoutesThePublishedHostToTheUpstream() throws Exception {
    enqueueState(upstreamServer, "{\"states\":[\"harbor.example.com/" + GROUP_REPO + "\"]}", false);
    enqueueState(upstreamServer, group("\"https://harbor.example.com\"", "a", "[\"v1\"]"), false);
    try (OciStateSource overridden =
        sourceBuilder("harbor.example.com/" + SATELLITE_REPO + ":latest")
            .hostOverride("harbor.example.com", host)
            .build()) {
      String groupRef = overridden.fetchSatelliteState().groupRefs().get(0);
      GroupState group = overridden.fetchGroup(groupRef);

      assertThat(group.ref()).isEqualTo("harbor.example.com/" + GROUP_REPO);
      assertThat(group.sourceRegistry()).isEqualTo("https://" + host);
      assertThat(upstreamServer.getRequestCount()).isEqualTo(4);
      assertThat(factoryCalls).isEmpty();
    }
  }

  @Test
  void satelliteStateOnAnotherHostIsRefused() {
    assertThatThrownBy(() -> sourceBuilder("harbor.example.com/" + SATELLITE_REPO).build())
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining(
            "resolves to https://harbor.example.com, not to the upstream registry")
        .hasMessageContaining("add a host override");
  }

  @Test
  void configDigestIsOneHeadRequest() throws Exception {
    upstreamServer.enqueue(
        new MockResponse.Builder()
            .code(200)
            .setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
            .setHeader("Docker-Content-Digest", D1)
            .setHeader("Content-Length", "321")
            .build());

    assertThat(source.configDigest(host + "/" + CONFIG_REPO + ":latest")).isEqualTo(D1);

    RecordedRequest head = upstreamServer.takeRequest();
    assertThat(head.getMethod()).isEqualTo("HEAD");
    assertThat(head.getTarget()).isEqualTo("/v2/" + CONFIG_REPO + "/manifests/latest");
    assertThat(upstreamServer.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchConfigReadsTheDigestLastChecked() throws Exception {
    String ref = host + "/" + CONFIG_REPO + ":latest";
    StateArtifactImage image =
        StateArtifactImage.of("{\"interval\":\"5m\"}".getBytes(UTF_8), false);
    String digest = image.manifest().digest().toString();
    upstreamServer.enqueue(
        new MockResponse.Builder()
            .code(200)
            .setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
            .setHeader("Docker-Content-Digest", digest)
            .setHeader("Content-Length", String.valueOf(image.manifest().size()))
            .build());
    enqueue(upstreamServer, image);

    assertThat(source.configDigest(ref)).isEqualTo(digest);
    assertThat(new String(source.fetchConfig(ref), UTF_8)).isEqualTo("{\"interval\":\"5m\"}");

    upstreamServer.takeRequest();
    assertThat(upstreamServer.takeRequest().getTarget())
        .isEqualTo("/v2/" + CONFIG_REPO + "/manifests/" + digest);
  }

  @Test
  void configThatIsNotJsonIsRejected() {
    enqueueState(upstreamServer, "interval=5m", false);
    String ref = host + "/" + CONFIG_REPO + ":latest";
    assertThatThrownBy(() -> source.fetchConfig(ref))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith("read config state " + ref + ": artifacts.json is not valid JSON");
  }

  @Test
  void missingConfigStateFailsTheDigestCheck() {
    upstreamServer.enqueue(new MockResponse.Builder().code(404).build());
    String ref = host + "/" + CONFIG_REPO + ":latest";
    assertThatThrownBy(() -> source.configDigest(ref))
        .isInstanceOf(SatelliteException.class)
        .hasMessage("check config state " + ref + ": not found (404) at " + upstream.registry());
  }

  @Test
  void missingGroupStateNamesTheReference() {
    upstreamServer.enqueue(new MockResponse.Builder().code(404).build());
    String ref = host + "/" + GROUP_REPO + ":latest";
    assertThatThrownBy(() -> source.fetchGroup(ref))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith("read group state " + ref + ": GET manifest")
        .hasMessageContaining("404");
  }

  @Test
  void invalidGroupReferenceNamesIt() {
    assertThatThrownBy(() -> source.fetchGroup(host + "/Satellite/G1/state"))
        .hasMessageStartingWith(
            "read group state " + host + "/Satellite/G1/state: invalid state reference");
    assertThat(upstreamServer.getRequestCount()).isZero();
  }

  @Test
  void indexIsNotAStateArtifact() {
    upstreamServer.enqueue(
        new MockResponse.Builder()
            .code(200)
            .setHeader("Content-Type", MediaTypes.OCI_INDEX)
            .body(
                "{\"schemaVersion\":2,\"mediaType\":\""
                    + MediaTypes.OCI_INDEX
                    + "\",\"manifests\":[]}")
            .build());
    assertThatThrownBy(() -> source.fetchSatelliteState())
        .hasMessageContaining("is " + MediaTypes.OCI_INDEX + ", expected an image manifest");
  }

  @Test
  void manifestWithTwoLayersIsRejected() {
    StateArtifactImage image = StateArtifactImage.of("{}".getBytes(UTF_8), false);
    String layer =
        new String(image.manifest().bytes(), UTF_8).replaceAll(".*\"layers\":\\[(.*)\\].*", "$1");
    String twoLayers =
        new String(image.manifest().bytes(), UTF_8).replace(layer, layer + "," + layer);
    upstreamServer.enqueue(
        manifestResponse(Manifest.of(MediaTypes.OCI_MANIFEST, twoLayers.getBytes(UTF_8))));
    assertThatThrownBy(() -> source.fetchSatelliteState())
        .hasMessageContaining("has 2 layers, a state artifact has exactly one");
  }

  @Test
  void oversizedLayerIsRejectedBeforeItIsFetched() {
    try (OciStateSource small =
        sourceBuilder(host + "/" + SATELLITE_REPO).maxArtifactsJsonBytes(1000).build()) {
      byte[] incompressible = new byte[1_100_000];
      new java.util.Random(7).nextBytes(incompressible);
      StateArtifactImage image = StateArtifactImage.of(incompressible, false);
      upstreamServer.enqueue(manifestResponse(image.manifest()));
      assertThatThrownBy(small::fetchSatelliteState)
          .hasMessageContaining("over the limit of " + (2 * 1000 + (1 << 20)) + " bytes");
      assertThat(upstreamServer.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void oversizedArtifactsJsonIsRejected() {
    try (OciStateSource small =
        sourceBuilder(host + "/" + SATELLITE_REPO).maxArtifactsJsonBytes(16).build()) {
      String json = "{\"states\":[\"h.example/a/state\"]}";
      enqueueState(upstreamServer, json, false);
      assertThatThrownBy(small::fetchSatelliteState)
          .hasMessage(
              "read satellite state "
                  + host
                  + "/"
                  + SATELLITE_REPO
                  + ": artifacts.json is "
                  + json.length()
                  + " bytes, over the limit of 16 bytes");
    }
  }

  @Test
  void layerThatDoesNotMatchItsDigestIsRejected() {
    StateArtifactImage image = StateArtifactImage.of("{\"states\":[]}".getBytes(UTF_8), false);
    StateArtifactImage other = StateArtifactImage.of("{\"states\":null}".getBytes(UTF_8), false);
    upstreamServer.enqueue(manifestResponse(image.manifest()));
    upstreamServer.enqueue(
        new MockResponse.Builder().code(200).body(new Buffer().write(other.layer())).build());
    assertThatThrownBy(() -> source.fetchSatelliteState())
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith("read satellite state " + host + "/" + SATELLITE_REPO + ":")
        .hasRootCauseInstanceOf(DigestMismatchException.class);
  }

  @Test
  void resolvesRegistryUrlsLikeReferences() {
    try (OciStateSource overridden =
        sourceBuilder(host + "/" + SATELLITE_REPO)
            .hostOverride("harbor.example.com", host)
            .build()) {
      assertThat(overridden.resolveRegistry("harbor.example.com")).isEqualTo("http://" + host);
      assertThat(overridden.resolveRegistry("https://harbor.example.com/"))
          .isEqualTo("https://" + host);
      assertThat(overridden.resolveRegistry("quay.io")).isEqualTo("https://quay.io");
    }
  }

  @Test
  void registryClientsGiveTheUpstreamClientOnlyForItsOwnHost() {
    Function<String, RegistryClient> clients = source.registryClients();
    assertThat(clients.apply("http://" + host)).isSameAs(upstream);
    assertThat(clients.apply(host)).isSameAs(upstream);
    RegistryClient other = clients.apply("https://" + host);
    assertThat(other).isNotSameAs(upstream);
    assertThat(clients.apply("https://" + host + "/")).isSameAs(other);
    assertThat(factoryCalls).containsExactly("https://" + host);
  }

  @Test
  void clientFactoryFailureNamesTheReference() {
    try (OciStateSource failing =
        OciStateSource.builder(upstream, host + "/" + SATELLITE_REPO)
            .clientFactory(
                url -> {
                  throw new IllegalStateException("no credentials configured for " + url);
                })
            .build()) {
      assertThatThrownBy(() -> failing.fetchGroup("other.example/" + GROUP_REPO))
          .isInstanceOf(SatelliteException.class)
          .hasMessage(
              "read group state other.example/"
                  + GROUP_REPO
                  + ": cannot create a client for "
                  + "https://other.example: no credentials configured for https://other.example");
    }
  }

  @Test
  void closeLeavesClientsFromACustomFactoryOpen() {
    String other = "http://" + otherServer.getHostName() + ":" + otherServer.getPort();
    List<RegistryClient> created = new CopyOnWriteArrayList<>();
    OciStateSource custom =
        OciStateSource.builder(upstream, host + "/" + SATELLITE_REPO)
            .clientFactory(
                url -> {
                  RegistryClient c = RegistryClient.builder(url).maxRetries(0).build();
                  created.add(c);
                  return c;
                })
            .build();
    enqueueState(otherServer, group("\"" + other + "\"", "a", "[\"v1\"]"), false);
    custom.fetchGroup(other + "/" + GROUP_REPO);
    custom.close();

    otherServer.enqueue(new MockResponse.Builder().code(200).build());
    created.get(0).ping();
  }

  @Test
  void doesNotShowCredentialsInToString() {
    assertThat(source.toString()).doesNotContain("s3cret").contains(SATELLITE_REPO);
  }

  private OciStateSource.Builder sourceBuilder(String satelliteRef) {
    return OciStateSource.builder(upstream, satelliteRef)
        .clientFactory(
            url -> {
              factoryCalls.add(url);
              return RegistryClient.builder(url).maxRetries(0).build();
            });
  }

  private static String group(String registry, String repository, String tags) {
    return "{\"group\":\"g1\",\"registry\":"
        + registry
        + ",\"artifacts\":[{\"repository\":\""
        + repository
        + "\",\"tag\":"
        + tags
        + ",\"digest\":\""
        + D1
        + "\",\"type\":\"IMAGE\",\"deleted\":false}]}";
  }

  private static StateArtifactImage enqueueState(
      MockWebServer server, String json, boolean docker) {
    StateArtifactImage image = StateArtifactImage.of(json.getBytes(UTF_8), docker);
    enqueue(server, image);
    return image;
  }

  private static void enqueue(MockWebServer server, StateArtifactImage image) {
    server.enqueue(manifestResponse(image.manifest()));
    server.enqueue(
        new MockResponse.Builder().code(200).body(new Buffer().write(image.layer())).build());
  }

}
