package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.manifestResponse;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import dev.satellite.core.RejectedEntry;
import dev.satellite.registry.internal.state.StateArtifactImage;
import java.util.List;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group states as Ground Control writes them: entries without a digest, or with a placeholder
 * such as {@code "sha256:test123"}, are looked up by tag at the group's registry.
 */
class OciStateSourceTagLookupTest {
  private static final String PINNED = "sha256:" + "1".repeat(64);
  private static final String FOUND = "sha256:" + "2".repeat(64);
  private static final String SATELLITE_REPO = "satellite/satellite-state/edge-1/state";
  private static final String GROUP_REPO = "satellite/group-state/g1/state";

  private final MockWebServer server = new MockWebServer();
  private RegistryClient upstream;
  private String host;
  private int groups;

  @BeforeEach
  void start() throws Exception {
    server.start();
    host = server.getHostName() + ":" + server.getPort();
    upstream = RegistryClient.builder("http://" + host)
        .credentials(Credentials.basic("robot", "s3cret"))
        .maxRetries(0)
        .build();
  }

  @AfterEach
  void stop() {
    upstream.close();
    server.close();
  }

  @Test
  void entryWithoutDigestIsLookedUpByTagWithTheUpstreamCredentials() throws Exception {
    OciStateSource source = source(false);
    enqueueGroup(artifact("library/nginx", "[\"1.27\"]", null));
    server.enqueue(head(FOUND));

    GroupState group = source.fetchGroup(groupRef());

    Entity resolved = new Entity("library/nginx", "1.27", FOUND);
    assertThat(group.entities()).containsExactly(resolved);
    assertThat(group.resolvedByTag()).containsExactly(resolved);
    assertThat(group.rejected()).isEmpty();
    server.takeRequest();
    server.takeRequest();
    RecordedRequest lookup = server.takeRequest();
    assertThat(lookup.getMethod()).isEqualTo("HEAD");
    assertThat(lookup.getTarget()).isEqualTo("/v2/library/nginx/manifests/1.27");
    assertThat(lookup.getHeaders().get("Authorization")).startsWith("Basic ");
    assertThat(lookup.getHeaders().get("Accept"))
        .contains("application/vnd.oci.image.index.v1+json")
        .contains("application/vnd.docker.distribution.manifest.list.v2+json");
  }

  @Test
  void placeholderDigestIsLookedUpByTagAndPinnedEntriesAreNot() throws Exception {
    OciStateSource source = source(false);
    enqueueGroup(artifact("library/nginx", "[\"1.27\"]", "\"sha256:test123\""),
        artifact("library/redis", "[\"7\"]", "\"" + PINNED + "\""));
    server.enqueue(head(FOUND));

    GroupState group = source.fetchGroup(groupRef());

    assertThat(group.entities()).containsExactlyInAnyOrder(
        new Entity("library/nginx", "1.27", FOUND), new Entity("library/redis", "7", PINNED));
    assertThat(group.resolvedByTag()).containsExactly(new Entity("library/nginx", "1.27", FOUND));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void tagThatCannotBeFoundFailsThatEntryAlone() {
    OciStateSource source = source(false);
    enqueueGroup(artifact("library/gone", "[\"v1\"]", null),
        artifact("library/redis", "[\"7\"]", "\"" + PINNED + "\""));
    server.enqueue(new MockResponse.Builder().code(404).build());

    GroupState group = source.fetchGroup(groupRef());

    assertThat(group.entities()).containsExactly(new Entity("library/redis", "7", PINNED));
    assertThat(group.resolvedByTag()).isEmpty();
    assertThat(group.rejected()).singleElement().satisfies(rejected -> {
      assertThat(rejected.repository()).isEqualTo("library/gone");
      assertThat(rejected.tag()).isEqualTo("v1");
      assertThat(rejected.reason())
          .startsWith("artifacts[0]: required field 'digest' is missing, and looking up the tag")
          .contains("look up tag library/gone:v1 at http://" + host)
          .contains("404");
    });
  }

  @Test
  void tagIsLookedUpOncePerPassAcrossGroups() throws Exception {
    OciStateSource source = source(false);
    enqueueSatelliteState();
    source.fetchSatelliteState();
    enqueueGroup(artifact("library/nginx", "[\"1.27\"]", null));
    server.enqueue(head(FOUND));
    source.fetchGroup(groupRef());
    enqueueGroup(artifact("library/nginx", "[\"1.27\"]", null));
    assertThat(source.fetchGroup(host + "/satellite/group-state/g2/state:latest").resolvedByTag())
        .containsExactly(new Entity("library/nginx", "1.27", FOUND));
    assertThat(heads()).isEqualTo(1);

    enqueueSatelliteState();
    source.fetchSatelliteState();
    enqueueGroup(artifact("library/nginx", "[\"1.27\"]", null));
    String moved = "sha256:" + "3".repeat(64);
    server.enqueue(head(moved));

    assertThat(source.fetchGroup(groupRef()).entities())
        .containsExactly(new Entity("library/nginx", "1.27", moved));
  }

  @Test
  void groupWithEntriesLookedUpByTagIsDecodedAgainInTheNextPass() {
    OciStateSource source = source(false);
    StateArtifactImage unchanged = group(artifact("library/nginx", "[\"1.27\"]", null));
    enqueue(unchanged);
    server.enqueue(head(FOUND));
    source.fetchGroup(groupRef());
    enqueueSatelliteState();
    source.fetchSatelliteState();
    server.enqueue(manifestResponse(unchanged.manifest()));
    String moved = "sha256:" + "3".repeat(64);
    server.enqueue(head(moved));

    assertThat(source.fetchGroup(groupRef()).entities())
        .containsExactly(new Entity("library/nginx", "1.27", moved));
  }

  @Test
  void requireDigestsRefusesEntriesWithoutOneAndLooksNothingUp() throws Exception {
    OciStateSource source = source(true);
    enqueueGroup(artifact("library/nginx", "[\"1.27\"]", null),
        artifact("library/app", "[\"v1\"]", "\"sha256:test123\""));

    GroupState group = source.fetchGroup(groupRef());

    assertThat(group.entities()).isEmpty();
    assertThat(group.rejected()).extracting(RejectedEntry::reason).containsExactly(
        "artifacts[0]: required field 'digest' is missing",
        "artifacts[1]: invalid digest 'sha256:test123': must be sha256:<64 lowercase hex digits>"
            + " or sha512:<128 lowercase hex digits>");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void entryWithAnInvalidTagIsNotLookedUp() {
    OciStateSource source = source(false);
    enqueueGroup(artifact("library/nginx", "[\"-bad\"]", null));

    GroupState group = source.fetchGroup(groupRef());

    assertThat(group.rejected()).singleElement().extracting(RejectedEntry::tag).isEqualTo("-bad");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void satelliteStateWithoutStatesFollowsNoGroup() {
    OciStateSource source = source(false);
    enqueue(StateArtifactImage.of("{\"config\":\"\"}".getBytes(UTF_8), false));

    assertThat(source.fetchSatelliteState().groupRefs()).isEmpty();
  }

  private OciStateSource source(boolean requireDigests) {
    return OciStateSource.builder(upstream, host + "/" + SATELLITE_REPO + ":latest")
        .requireDigests(requireDigests)
        .build();
  }

  private String groupRef() {
    return host + "/" + GROUP_REPO + ":latest";
  }

  private long heads() throws InterruptedException {
    int count = server.getRequestCount();
    long heads = 0;
    for (int i = 0; i < count; i++) {
      if (server.takeRequest().getMethod().equals("HEAD")) {
        heads++;
      }
    }
    return heads;
  }

  private void enqueueSatelliteState() {
    enqueue(StateArtifactImage.of(
        ("{\"states\":[\"" + groupRef() + "\"],\"pass\":" + (++groups) + "}").getBytes(UTF_8), false));
  }

  private void enqueueGroup(String... artifacts) {
    enqueue(group(artifacts));
  }

  private StateArtifactImage group(String... artifacts) {
    // a group name of its own per document: a layer read before would be taken from memory
    String json = "{\"group\":\"g" + (++groups) + "\",\"registry\":\"" + host + "\",\"artifacts\":["
        + List.of(artifacts).stream().collect(Collectors.joining(",")) + "]}";
    return StateArtifactImage.of(json.getBytes(UTF_8), false);
  }

  private static String artifact(String repository, String tags, String digestJson) {
    return "{\"repository\":\"" + repository + "\",\"tag\":" + tags
        + (digestJson == null ? "" : ",\"digest\":" + digestJson)
        + ",\"type\":\"IMAGE\",\"deleted\":false}";
  }

  private void enqueue(StateArtifactImage image) {
    server.enqueue(manifestResponse(image.manifest()));
    server.enqueue(
        new MockResponse.Builder().code(200).body(new Buffer().write(image.layer())).build());
  }

  private static MockResponse head(String digest) {
    return new MockResponse.Builder()
        .setHeader("Content-Type", "application/vnd.oci.image.index.v1+json")
        .setHeader("Docker-Content-Digest", digest)
        .setHeader("Content-Length", 512)
        .build();
  }
}
