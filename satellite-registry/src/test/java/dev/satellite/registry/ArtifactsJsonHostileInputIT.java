package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.core.GroupReport;
import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.internal.state.StateArtifactImage;
import dev.satellite.registry.internal.state.StateLayerWriter;
import dev.satellite.registry.testing.faults.Exchange;
import dev.satellite.registry.testing.faults.SyncRig;
import dev.satellite.testing.RequiresRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and malformed {@code artifacts.json} in group states, end to end: published to a real
 * upstream, read by {@link OciStateSource}, applied by the Reconciler to a real edge next to a
 * well-formed group. Each bad input is rejected with an error naming the group state and the
 * problem; the edge is not even contacted for it; the good group, and the good entries of the same
 * group, are synced. Decoder-level cases: {@code StateArtifactCodecTest}, {@code
 * StateArtifactLayerTest}, {@link OciStateSourceTest#oversizedArtifactsJsonIsRejected}.
 */
@RequiresRegistry
class ArtifactsJsonHostileInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SyncRig rig;
  private static Digest good;
  private static Digest sibling;
  private static String goodRef;

  private final InMemoryStateStore store = new InMemoryStateStore();

  @BeforeAll
  static void start() {
    rig = new SyncRig();
    good = rig.push("good/app", 1);
    sibling = rig.push("good/sibling", 2);
    goodRef = rig.publishRawGroup("good", utf8(group(entry("good/app", "v1", good.toString()))));
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @BeforeEach
  void forgetTraffic() {
    rig.edgeProxy.resetTraffic();
  }

  private static String group(String... entries) {
    return SyncRig.groupJson(rig.upstreamProxy.baseUrl(), entries);
  }

  private static String entry(String repository, String tag, String digest) {
    return SyncRig.entryJson(repository, tag, digest);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private SyncReport syncWith(String badRef) {
    String state = rig.publishSatellite(List.of(goodRef, badRef));
    try (ImageCopier copier = ImageCopier.builder().build()) {
      return rig.sync(state, store, copier, b -> {});
    }
  }

  private GroupReport group(SyncReport report, String ref) {
    return report.groups().stream().filter(g -> g.ref().equals(ref)).findFirst().orElseThrow();
  }

  /** The good group is in place, and the edge saw requests for good repositories only. */
  private void assertOnlyTheGoodContentReachedTheEdge(SyncReport report) {
    assertThat(group(report, goodRef).status()).isEqualTo(GroupReport.Status.SYNCED);
    assertThat(group(report, goodRef).failed()).isZero();
    assertThat(rig.edgeTags(List.of("good/app"))).containsEntry("good/app:v1", good.toString());
    assertThat(rig.edgeProxy.exchanges())
        .extracting(Exchange::pathOnly)
        .allMatch(p -> p.equals("/v2/") || p.startsWith("/v2/good/"), "only good repositories");
  }

  private void assertGroupRejected(String json, String... reasonParts) {
    String badRef = rig.publishRawGroup("bad", utf8(json));

    SyncReport report = syncWith(badRef);

    GroupReport bad = group(report, badRef);
    assertThat(bad.status()).isEqualTo(GroupReport.Status.FETCH_FAILED);
    assertThat(bad.error()).get().asString().contains(badRef).contains(reasonParts);
    assertThat(report.errors()).anyMatch(e -> e.contains(badRef));
    assertOnlyTheGoodContentReachedTheEdge(report);
  }

  @Test
  void groupStateThatIsNotJsonIsRejectedAndTheOtherGroupIsSynced() {
    assertGroupRejected("{\"group\": \"g\", \"artifacts\": [", "JSON");
  }

  @Test
  void groupStateWithArtifactsOfTheWrongTypeIsRejectedAndTheOtherGroupIsSynced() {
    assertGroupRejected(
        "{\"group\": \"g\", \"registry\": \"" + rig.upstreamProxy.baseUrl()
            + "\", \"artifacts\": {\"repository\": \"good/app\"}}",
        "artifacts");
  }

  @Test
  void hundredMegabyteArtifactsJsonIsRejectedUnreadAndTheOtherGroupIsSynced() throws Exception {
    String badRef = rig.publishRaw("satellite/group-state/huge/state",
        streamedArtifactsJson(100L * 1024 * 1024));

    SyncReport report = syncWith(badRef);

    GroupReport bad = group(report, badRef);
    assertThat(bad.status()).isEqualTo(GroupReport.Status.FETCH_FAILED);
    assertThat(bad.error()).get().asString().contains(badRef)
        .as("rejected from the size in the tar header, before its content is read")
        .contains("artifacts.json is 104857600 bytes, over the limit of 8388608 bytes");
    assertOnlyTheGoodContentReachedTheEdge(report);
  }

  @ParameterizedTest
  @ValueSource(strings = {"good/../etc", "Good/App", "good%2Fapp", "good//app", "/good/app"})
  void invalidRepositoryIsRejectedAndTheRestOfItsGroupIsSynced(String repository) {
    String badRef = rig.publishRawGroup("bad", utf8(group(
        entry(repository, "v1", good.toString()),
        entry("good/sibling", "v1", sibling.toString()))));

    SyncReport report = syncWith(badRef);

    assertThat(report.failures()).singleElement().satisfies(f -> {
      assertThat(f.operation()).isEqualTo(SyncReport.Operation.VALIDATE);
      assertThat(f.group()).isEqualTo(badRef);
      assertThat(f.repository()).isEqualTo(repository);
      assertThat(f.reason()).contains("repository");
    });
    assertThat(rig.edgeTags(List.of("good/sibling")))
        .containsEntry("good/sibling:v1", sibling.toString());
    assertOnlyTheGoodContentReachedTheEdge(report);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256:1234", "sha256:GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG", "md5:0123", "latest", ""})
  void invalidDigestIsRejectedAndTheRestOfItsGroupIsSynced(String digest) {
    String badRef = rig.publishRawGroup("bad", utf8(group(
        entry("good/app", "other", digest), entry("good/sibling", "v1", sibling.toString()))));

    SyncReport report = syncWith(badRef);

    assertThat(report.failures()).singleElement().satisfies(f -> {
      assertThat(f.operation()).isEqualTo(SyncReport.Operation.VALIDATE);
      assertThat(f.tag()).isEqualTo("other");
      assertThat(f.reason()).contains("digest");
    });
    assertThat(rig.edgeTags(List.of("good/app"))).doesNotContainKey("good/app:other");
    assertOnlyTheGoodContentReachedTheEdge(report);
  }

  @Test
  void entryWithFieldsOfWrongTypesIsRejectedAndTheRestOfItsGroupIsSynced() {
    String badRef = rig.publishRawGroup("bad", utf8(group(
        "{\"repository\": 42, \"tag\": {\"v\": 1}, \"digest\": true}",
        entry("good/sibling", "v1", sibling.toString()))));

    SyncReport report = syncWith(badRef);

    assertThat(report.failures()).singleElement()
        .satisfies(f -> assertThat(f.operation()).isEqualTo(SyncReport.Operation.VALIDATE));
    assertThat(group(report, badRef).status()).isEqualTo(GroupReport.Status.SYNCED);
    assertOnlyTheGoodContentReachedTheEdge(report);
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(group(
        entry("good/sibling", "extra", sibling.toString())));
    json.put("futureField", true);
    ((ObjectNode) json.get("artifacts").get(0)).putObject("annotations").putArray("deep").add(1);
    String badRef = rig.publishRawGroup("bad", JSON.writeValueAsBytes(json));

    SyncReport report = syncWith(badRef);

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(rig.edgeTags(List.of("good/sibling")))
        .containsEntry("good/sibling:extra", sibling.toString());
  }

  @Test
  void emptyGroupIsSyncedWithNothingToDo() {
    String emptyRef = rig.publishRawGroup("empty", utf8(group()));

    SyncReport report = syncWith(emptyRef);

    assertThat(report.ok()).as(report.toJson()).isTrue();
    assertThat(group(report, emptyRef).status()).isEqualTo(GroupReport.Status.SYNCED);
    assertThat(store.load().orElseThrow().groups()).containsEntry(emptyRef, List.of());
  }

  @Test
  void satelliteStateThatIsNotJsonEndsThePassWithNothingChanged() {
    String state = rig.publishRaw("satellite/satellite-state/edge-1/state",
        StateArtifactImage.of(utf8("[\"not\", \"an object\""), false));
    try (ImageCopier copier = ImageCopier.builder().build()) {
      SyncReport report = rig.sync(state, store, copier, b -> {});

      assertThat(report.ok()).isFalse();
      assertThat(report.errors()).singleElement().asString()
          .contains("read satellite state", state);
      assertThat(report.groups()).isEmpty();
      assertThat(store.load()).isEmpty();
      assertThat(rig.edgeProxy.exchanges()).isEmpty();
    }
  }

  /**
   * A state artifact whose {@code artifacts.json} is {@code size} bytes of valid-looking JSON,
   * gzip-compressed as it is generated: only the compressed layer is held.
   */
  private static StateArtifactImage streamedArtifactsJson(long size) throws Exception {
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    MessageDigest tarDigest = MessageDigest.getInstance("SHA-256");
    try (OutputStream tar = new DigestOutputStream(new GZIPOutputStream(gzip), tarDigest)) {
      tar.write(StateLayerWriter.header("artifacts.json", size, '0'));
      byte[] open = utf8("{\"group\": \"huge\", \"artifacts\": [");
      byte[] item = utf8(entry("good/app", "v1", good.toString()) + ",\n");
      byte[] close = utf8(entry("good/app", "v1", good.toString()) + "]}");
      tar.write(open);
      long left = size - open.length - close.length;
      for (; left >= item.length; left -= item.length) {
        tar.write(item);
      }
      tar.write(" ".repeat((int) left).getBytes(StandardCharsets.US_ASCII));
      tar.write(close);
      tar.write(new byte[(int) ((512 - size % 512) % 512) + 1024]);
    }
    byte[] layer = gzip.toByteArray();
    String diffId = "sha256:" + HexFormat.of().formatHex(tarDigest.digest());
    byte[] config = utf8("{\"architecture\": \"\", \"os\": \"\", \"config\": {}, \"rootfs\": "
        + "{\"type\": \"layers\", \"diff_ids\": [\"" + diffId + "\"]}}");
    Map<String, Object> manifest = Map.of(
        "schemaVersion", 2,
        "mediaType", MediaTypes.OCI_MANIFEST,
        "config", Map.of("mediaType", MediaTypes.OCI_CONFIG,
            "digest", Digest.of(config).toString(), "size", config.length),
        "layers", List.of(Map.of("mediaType", MediaTypes.OCI_LAYER_GZIP,
            "digest", Digest.of(layer).toString(), "size", layer.length)));
    return new StateArtifactImage(config, layer,
        Manifest.of(MediaTypes.OCI_MANIFEST, JSON.writeValueAsBytes(manifest)));
  }
}
