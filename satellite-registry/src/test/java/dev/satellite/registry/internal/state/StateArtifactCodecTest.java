package dev.satellite.registry.internal.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import dev.satellite.core.RejectedEntry;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SatelliteState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateArtifactCodecTest {
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);
  private static final String SREF = "h.example/satellite/satellite-state/edge-1/state:latest";
  private static final String GREF = "h.example/satellite/group-state/g1/state:latest";
  private static final StateReferenceResolver RESOLVER =
      new StateReferenceResolver("http://127.0.0.1:5101", Map.of());

  // satellite state

  @Test
  void decodesSatelliteStatesAndConfig() {
    SatelliteState state =
        satellite(
            "{\"states\":[\"h/a/state:latest\",\"h/b/state:latest\"],\"config\":\"h/c/state\"}");
    assertThat(state.groupRefs()).containsExactly("h/a/state:latest", "h/b/state:latest");
    assertThat(state.configRef()).contains("h/c/state");
  }

  @Test
  void nullStatesMeanNoGroups() {
    assertThat(satellite("{\"states\":null,\"config\":\"\"}").groupRefs()).isEmpty();
  }

  @Test
  void emptyOrMissingConfigMeansNone() {
    assertThat(satellite("{\"states\":[],\"config\":\"\"}").configRef()).isEmpty();
    assertThat(satellite("{\"states\":[]}").configRef()).isEmpty();
  }

  @Test
  void duplicateGroupReferencesCountOnce() {
    assertThat(satellite("{\"states\":[\"h/a/s\",\"h/b/s\",\"h/a/s\"]}").groupRefs())
        .containsExactly("h/a/s", "h/b/s");
  }

  @Test
  void unknownSatelliteFieldsAreIgnored() {
    assertThat(satellite("{\"states\":[\"h/a/s\"],\"extra\":{\"x\":[1,2]},\"v\":3}").groupRefs())
        .containsExactly("h/a/s");
  }

  @Test
  void satelliteStateWithoutStatesFieldFollowsNoGroup() {
    SatelliteState state = satellite("{\"config\":\"h/c/s\"}");
    assertThat(state.groupRefs()).isEmpty();
    assertThat(state.configRef()).contains("h/c/s");
    assertThat(satellite("{}").groupRefs()).isEmpty();
  }

  @Test
  void satelliteStatesOfWrongTypeAreRejected() {
    assertThatThrownBy(() -> satellite("{\"states\":\"h/a/s\"}"))
        .hasMessage(
            "read satellite state "
                + SREF
                + ": artifacts.json: field 'states' must be an array of strings, got a string");
    assertThatThrownBy(() -> satellite("{\"states\":[\"h/a/s\", 7]}"))
        .hasMessageEndingWith("field 'states' must be an array of strings, element 1 is a number");
  }

  @Test
  void satelliteConfigOfWrongTypeIsRejected() {
    assertThatThrownBy(() -> satellite("{\"states\":[],\"config\":{}}"))
        .hasMessageEndingWith("field 'config' must be a string, got an object");
  }

  @Test
  void emptyGroupReferenceIsRejected() {
    assertThatThrownBy(() -> satellite("{\"states\":[\"\"]}"))
        .hasMessageEndingWith("field 'states' holds an empty reference");
  }

  @Test
  void notJsonIsRejectedNamingTheReference() {
    assertThatThrownBy(() -> satellite("{\"states\": [oops"))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith(
            "read satellite state " + SREF + ": artifacts.json is not valid JSON")
        .hasMessageContaining("line 1");
  }

  @Test
  void trailingGarbageIsRejected() {
    assertThatThrownBy(() -> satellite("{\"states\":[]} {}"))
        .hasMessageContaining("artifacts.json is not valid JSON");
  }

  @Test
  void emptyDocumentIsRejected() {
    assertThatThrownBy(() -> satellite(""))
        .hasMessage("read satellite state " + SREF + ": artifacts.json is empty");
  }

  @Test
  void topLevelArrayIsRejected() {
    assertThatThrownBy(() -> satellite("[\"h/a/s\"]"))
        .hasMessage(
            "read satellite state "
                + SREF
                + ": artifacts.json must be a JSON object, got an array");
  }

  @Test
  void satelliteStateRoundTrips() {
    byte[] json = SatelliteStateCodec.encode(List.of("h/a/s:latest"), Optional.of("h/c/s:latest"));
    assertThat(SatelliteStateCodec.decode(SREF, json))
        .isEqualTo(new SatelliteState(List.of("h/a/s:latest"), Optional.of("h/c/s:latest")));
    assertThat(
            SatelliteStateCodec.decode(
                SREF, SatelliteStateCodec.encode(List.of(), Optional.empty())))
        .isEqualTo(new SatelliteState(List.of(), Optional.empty()));
  }

  // group state

  @Test
  void decodesOneEntityPerTag() {
    GroupState group = group(artifact("library/nginx", "[\"1.27\",\"latest\"]", D1, false));
    assertThat(group.ref()).isEqualTo(GREF);
    assertThat(group.entities())
        .containsExactly(
            new Entity("library/nginx", "1.27", D1), new Entity("library/nginx", "latest", D1));
    assertThat(group.rejected()).isEmpty();
  }

  @Test
  void groupRegistryBecomesTheSourceRegistryBaseUrl() {
    assertThat(group(artifact("a", "[\"v1\"]", D1, false)).sourceRegistry())
        .isEqualTo("https://harbor.example.com");
    GroupState sameHost =
        GroupStateCodec.decode(
            GREF,
            ("{\"registry\":\"127.0.0.1:5101\",\"artifacts\":["
                    + artifact("a", "[\"v1\"]", D1, false)
                    + "]}")
                .getBytes(UTF_8),
            RESOLVER);
    assertThat(sameHost.sourceRegistry()).isEqualTo("http://127.0.0.1:5101");
  }

  @Test
  void artifactWithoutTagsIsNotDesired() {
    GroupState group =
        group(
            artifact("a", "[]", D1, false),
            artifact("b", "null", D1, false),
            "{\"repository\":\"c\",\"digest\":\"" + D1 + "\"}");
    assertThat(group.entities()).isEmpty();
    assertThat(group.rejected()).isEmpty();
  }

  @Test
  void deletedArtifactIsNotDesired() {
    GroupState group =
        group(artifact("a", "[\"v1\"]", D1, true), artifact("b", "[\"v1\"]", D1, false));
    assertThat(group.entities()).containsExactly(new Entity("b", "v1", D1));
  }

  @Test
  void deletedArtifactIsNotDesiredEvenWhenInvalid() {
    GroupState group = group(artifact("Bad/Name", "[\"v1\"]", "nope", true));
    assertThat(group.entities()).isEmpty();
    assertThat(group.rejected()).isEmpty();
  }

  @Test
  void singleStringTagIsAccepted() {
    assertThat(group(artifact("a", "\"v1\"", D1, false)).entities())
        .containsExactly(new Entity("a", "v1", D1));
  }

  @Test
  void uppercaseRepositoryIsRejectedAndTheRestProceeds() {
    GroupState group =
        group(
            artifact("Library/Nginx", "[\"1.27\",\"latest\"]", D1, false),
            artifact("ok", "[\"v1\"]", D2, false));
    assertThat(group.entities()).containsExactly(new Entity("ok", "v1", D2));
    assertThat(group.rejected())
        .extracting(RejectedEntry::repository, RejectedEntry::tag, RejectedEntry::digest)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Library/Nginx", "1.27", D1),
            org.assertj.core.groups.Tuple.tuple("Library/Nginx", "latest", D1));
    assertThat(group.rejected().get(0).reason())
        .startsWith("artifacts[0]: invalid repository name 'Library/Nginx'");
  }

  @Test
  void dotDotRepositoryIsRejected() {
    assertThat(rejectedReasons(artifact("library/../etc", "[\"v1\"]", D1, false)))
        .singleElement()
        .asString()
        .contains("invalid repository name 'library/../etc'");
  }

  @Test
  void percentEncodedSlashRepositoryIsRejected() {
    assertThat(rejectedReasons(artifact("library%2Fnginx", "[\"v1\"]", D1, false)))
        .singleElement()
        .asString()
        .contains("invalid repository name 'library%2Fnginx'");
  }

  @Test
  void invalidDigestIsRejected() {
    assertThat(rejectedReasons(artifact("a", "[\"v1\"]", "sha256:ABC", false)))
        .singleElement()
        .asString()
        .contains("invalid digest 'sha256:ABC'");
  }

  @Test
  void invalidTagRejectsOnlyThatTag() {
    GroupState group = group(artifact("a", "[\"v1\",\"-bad\"]", D1, false));
    assertThat(group.entities()).containsExactly(new Entity("a", "v1", D1));
    assertThat(group.rejected()).singleElement().extracting(RejectedEntry::tag).isEqualTo("-bad");
  }

  @Test
  void missingDigestIsRejected() {
    assertThat(rejectedReasons("{\"repository\":\"a\",\"tag\":[\"v1\"]}"))
        .containsExactly("artifacts[0]: required field 'digest' is missing");
  }

  @Test
  void artifactFieldsOfWrongTypeAreRejected() {
    assertThat(
            rejectedReasons(
                "{\"repository\":\"a\",\"tag\":5,\"digest\":\"" + D1 + "\"}",
                "{\"repository\":[\"a\"],\"tag\":[\"v1\"],\"digest\":\"" + D1 + "\"}",
                "{\"repository\":\"a\",\"tag\":[\"v1\"],\"digest\":\""
                    + D1
                    + "\",\"deleted\":\"no\"}"))
        .containsExactly(
            "artifacts[0]: field 'tag' must be an array of strings, got a number",
            "artifacts[1]: field 'repository' must be a string, got an array",
            "artifacts[2]: field 'deleted' must be true or false, got a string");
  }

  @Test
  void artifactThatIsNotAnObjectIsRejected() {
    assertThat(rejectedReasons("\"library/nginx:1.27\""))
        .containsExactly("artifacts[0] must be a JSON object, got a string");
  }

  @Test
  void tagListedWithTwoDigestsIsRejectedEverywhere() {
    GroupState group =
        group(
            artifact("a", "[\"v1\",\"v2\"]", D1, false),
            artifact("a", "[\"v1\"]", D2, false),
            artifact("a", "[\"v1\"]", D1, false));
    assertThat(group.entities()).containsExactly(new Entity("a", "v2", D1));
    assertThat(group.rejected()).extracting(RejectedEntry::digest).containsExactly(D1, D2, D1);
    assertThat(group.rejected().get(0).reason())
        .isEqualTo("artifacts[1]: a:v1 is listed more than once with different digests");
  }

  @Test
  void sameTagListedTwiceWithTheSameDigestCountsOnce() {
    assertThat(
            group(artifact("a", "[\"v1\"]", D1, false), artifact("a", "[\"v1\"]", D1, false))
                .entities())
        .containsExactly(new Entity("a", "v1", D1));
  }

  @Test
  void hugeRawValuesAreTruncatedInRejections() {
    String huge = "A".repeat(100_000);
    RejectedEntry entry = group(artifact(huge, "[\"v1\"]", D1, false)).rejected().get(0);
    assertThat(entry.repository()).hasSize(259);
    assertThat(entry.reason().length()).isLessThan(1000);
  }

  @Test
  void unknownGroupFieldsAreIgnored() {
    String json =
        "{\"group\":\"g1\",\"registry\":\"https://harbor.example.com\",\"owner\":{\"x\":1},"
            + "\"artifacts\":[{\"repository\":\"a\",\"tag\":[\"v1\"],\"digest\":\""
            + D1
            + "\",\"size\":12,\"labels\":[\"x\"],\"type\":\"CHART\"}]}";
    assertThat(GroupStateCodec.decode(GREF, json.getBytes(UTF_8), RESOLVER).entities())
        .containsExactly(new Entity("a", "v1", D1));
  }

  @Test
  void emptyGroupDecodesWithoutRegistry() {
    for (String json :
        List.of("{\"group\":\"g1\",\"artifacts\":[]}", "{\"artifacts\":null}", "{}")) {
      GroupState group = GroupStateCodec.decode(GREF, json.getBytes(UTF_8), RESOLVER);
      assertThat(group.entities()).isEmpty();
      assertThat(group.sourceRegistry()).isEqualTo("http://127.0.0.1:5101");
    }
  }

  @Test
  void groupWithImagesButNoRegistryIsRejected() {
    String json = "{\"group\":\"g1\",\"artifacts\":[" + artifact("a", "[\"v1\"]", D1, false) + "]}";
    assertThatThrownBy(() -> GroupStateCodec.decode(GREF, json.getBytes(UTF_8), RESOLVER))
        .isInstanceOf(SatelliteException.class)
        .hasMessage(
            "read group state " + GREF + ": artifacts.json: required field 'registry' is missing");
  }

  @Test
  void invalidGroupRegistryIsRejectedNamingTheReference() {
    String json =
        "{\"registry\":\"ftp://h\",\"artifacts\":[" + artifact("a", "[\"v1\"]", D1, false) + "]}";
    assertThatThrownBy(() -> GroupStateCodec.decode(GREF, json.getBytes(UTF_8), RESOLVER))
        .hasMessage(
            "read group state "
                + GREF
                + ": invalid registry URL 'ftp://h': unsupported scheme 'ftp' (only http and"
                + " https)");
  }

  @Test
  void groupArtifactsOfWrongTypeAreRejected() {
    assertThatThrownBy(
            () ->
                GroupStateCodec.decode(
                    GREF, "{\"registry\":\"h\",\"artifacts\":{}}".getBytes(UTF_8), RESOLVER))
        .hasMessage(
            "read group state "
                + GREF
                + ": artifacts.json: field 'artifacts' must be an array, "
                + "got an object");
  }

  @Test
  void groupThatIsNotJsonIsRejected() {
    assertThatThrownBy(
            () -> GroupStateCodec.decode(GREF, new byte[] {(byte) 0x1f, (byte) 0x8b}, RESOLVER))
        .hasMessageStartingWith("read group state " + GREF + ": artifacts.json is not valid JSON");
  }

  @Test
  void groupStateRoundTrips() {
    byte[] json =
        GroupStateCodec.encode(
            "g1",
            "https://harbor.example.com",
            List.of(
                new GroupStateCodec.Artifact("library/nginx", List.of("1.27", "latest"), D1),
                new GroupStateCodec.Artifact("library/redis", List.of("7"), D2)));
    GroupState group = GroupStateCodec.decode(GREF, json, RESOLVER);
    assertThat(group)
        .isEqualTo(
            new GroupState(
                GREF,
                "https://harbor.example.com",
                List.of(
                    new Entity("library/nginx", "1.27", D1),
                    new Entity("library/nginx", "latest", D1),
                    new Entity("library/redis", "7", D2))));
  }

  @Test
  void encodedGroupStateUsesGroundControlFieldNames() {
    String json =
        new String(
            GroupStateCodec.encode(
                "g1", "https://h", List.of(new GroupStateCodec.Artifact("a", List.of("v1"), D1))),
            UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"group\":\"g1\",\"registry\":\"https://h\",\"artifacts\":[{\"repository\":\"a\","
                + "\"tag\":[\"v1\"],\"labels\":null,\"type\":\"IMAGE\",\"digest\":\""
                + D1
                + "\",\"deleted\":false}]}");
  }

  private static SatelliteState satellite(String json) {
    return SatelliteStateCodec.decode(SREF, json.getBytes(UTF_8));
  }

  private static GroupState group(String... artifacts) {
    String json =
        "{\"group\":\"g1\",\"registry\":\"https://harbor.example.com\",\"artifacts\":["
            + String.join(",", artifacts)
            + "]}";
    return GroupStateCodec.decode(GREF, json.getBytes(UTF_8), RESOLVER);
  }

  private static List<String> rejectedReasons(String... artifacts) {
    GroupState group = group(artifacts);
    assertThat(group.entities()).isEmpty();
    return group.rejected().stream().map(RejectedEntry::reason).toList();
  }

  private static String artifact(String repository, String tags, String digest, boolean deleted) {
    return "{\"repository\":\""
        + repository
        + "\",\"tag\":"
        + tags
        + ",\"digest\":\""
        + digest
        + "\",\"type\":\"IMAGE\",\"deleted\":"
        + deleted
        + ",\"labels\":null}";
  }
}
