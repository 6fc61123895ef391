package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.core.GroupReport.Status;
import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.Operation;
import dev.satellite.core.SyncReport.RetainedTag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncReportTest {
  private static final Instant STARTED = Instant.parse("2026-11-26T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GroupReport g1 =
      GroupReport.builder("reg.example/satellite/group-state/g1/state:latest", Status.SYNCED)
          .replicated(3).unchanged(2).pruned(1).retained(1).failed(1)
          .blobsUploaded(5).blobsMounted(2).blobsSkipped(7).bytesCopied(4096L).build();
  private final GroupReport g2 = GroupReport.builder("g2", Status.FETCH_FAILED)
      .error("read group state g2: 404").build();
  private final Failure failure =
      new Failure("g1", "library/app", "v2", Operation.REPLICATE, "copy: 500");
  private final RetainedTag retained = new RetainedTag("g1", ReconcilerFixture.entity("library/app", "latest", 1));

  @Test
  void totalsAreTheSumsOfTheGroups() {
    SyncReport report = report(List.of(g1, g1), List.of(), List.of(), List.of(), true);

    assertThat(report.replicated()).isEqualTo(6);
    assertThat(report.unchanged()).isEqualTo(4);
    assertThat(report.pruned()).isEqualTo(2);
    assertThat(report.blobsUploaded()).isEqualTo(10);
    assertThat(report.blobsMounted()).isEqualTo(4);
    assertThat(report.blobsSkipped()).isEqualTo(14);
    assertThat(report.bytesCopied()).isEqualTo(8192);
  }

  @Test
  void resumedBytesAndRestartedUploadsAreSummedAndWrittenToJson() throws Exception {
    GroupReport resumed = GroupReport.builder("g3", Status.SYNCED)
        .replicated(1).blobsUploaded(1).bytesCopied(100L).bytesResumed(900L)
        .restartedUploads(List.of("blob sha256:ab to edge/app: spool dropped")).build();
    SyncReport report = report(List.of(g1, resumed, resumed), List.of(), List.of(), List.of(),
        true);

    JsonNode json = JSON.readTree(report.toJson());

    assertThat(report.bytesResumed()).isEqualTo(1800);
    assertThat(report.restartedUploads()).hasSize(2);
    assertThat(json.get("bytesResumed").asLong()).isEqualTo(1800);
    assertThat(json.get("restartedUploads")).hasSize(2);
    assertThat(json.get("restartedUploads").get(0).asText()).contains("spool dropped");
    assertThat(json.get("groups").get(0).get("bytesResumed").asLong()).isZero();
    assertThat(json.get("groups").get(1).get("restartedUploads").get(0).asText())
        .contains("spool dropped");
  }

  @Test
  void okWhenNothingFailedEvenWithRetainedTags() {
    assertThat(report(List.of(g1), List.of(), List.of(retained), List.of(), true).ok()).isTrue();
  }

  @Test
  void notOkWhenAnEntityFailedAnErrorOccurredOrTheCheckpointWasNotSaved() {
    assertThat(report(List.of(g1), List.of(failure), List.of(), List.of(), true).ok()).isFalse();
    assertThat(report(List.of(g1), List.of(), List.of(), List.of("read satellite state: 503"),
        true).ok()).isFalse();
    assertThat(report(List.of(g1), List.of(), List.of(), List.of(), false).ok()).isFalse();
  }

  @Test
  void notOkWhenInterrupted() {
    SyncReport interrupted =
        SyncReport.builder(STARTED, Duration.ZERO).interrupted(true).checkpointSaved(true).build();

    assertThat(interrupted.ok()).isFalse();
  }

  @Test
  void jsonHasTheStableMembersWithTotalsAndPerGroupDetails() throws Exception {
    SyncReport report = report(List.of(g1, g2), List.of(failure), List.of(retained),
        List.of("read group state g2: 404"), true);

    JsonNode json = JSON.readTree(report.toJson());

    assertThat(json.get("ok").asBoolean()).isFalse();
    assertThat(json.get("interrupted").asBoolean()).isFalse();
    assertThat(json.get("startedAt").asText()).isEqualTo("2026-11-26T12:00:00Z");
    assertThat(json.get("durationMillis").asLong()).isEqualTo(1500);
    assertThat(json.get("checkpointSaved").asBoolean()).isTrue();
    assertThat(json.get("replicated").asInt()).isEqualTo(3);
    assertThat(json.get("unchanged").asInt()).isEqualTo(2);
    assertThat(json.get("pruned").asInt()).isEqualTo(1);
    assertThat(json.get("retained").asInt()).isEqualTo(1);
    assertThat(json.get("failed").asInt()).isEqualTo(1);
    assertThat(json.get("blobsUploaded").asInt()).isEqualTo(5);
    assertThat(json.get("blobsMounted").asInt()).isEqualTo(2);
    assertThat(json.get("blobsSkipped").asInt()).isEqualTo(7);
    assertThat(json.get("bytesCopied").asLong()).isEqualTo(4096);
    assertThat(json.get("errors").get(0).asText()).isEqualTo("read group state g2: 404");
    JsonNode failureJson = json.get("failures").get(0);
    assertThat(failureJson.get("group").asText()).isEqualTo("g1");
    assertThat(failureJson.get("repository").asText()).isEqualTo("library/app");
    assertThat(failureJson.get("tag").asText()).isEqualTo("v2");
    assertThat(failureJson.get("operation").asText()).isEqualTo("replicate");
    assertThat(failureJson.get("reason").asText()).isEqualTo("copy: 500");
    JsonNode retainedJson = json.get("retainedTags").get(0);
    assertThat(retainedJson.get("tag").asText()).isEqualTo("latest");
    assertThat(retainedJson.get("digest").asText()).isEqualTo(ReconcilerFixture.digest(1));
    assertThat(json.get("groups")).hasSize(2);
    JsonNode groupJson = json.get("groups").get(1);
    assertThat(groupJson.get("ref").asText()).isEqualTo("g2");
    assertThat(groupJson.get("status").asText()).isEqualTo("fetch_failed");
    assertThat(groupJson.get("error").asText()).isEqualTo("read group state g2: 404");
    assertThat(json.get("groups").get(0).get("error").isNull()).isTrue();
    assertThat(json.get("groups").get(0).get("bytesCopied").asLong()).isEqualTo(4096);
  }

  @Test
  void jsonEscapesEveryStringCorrectly() throws Exception {
    String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 nul \u0000 "
        + "emoji \uD83D\uDE00 lone \uD800 end";
    Failure odd = new Failure("g\"1", null, "t\\1", Operation.VALIDATE, nasty);

    JsonNode json = JSON.readTree(report(List.of(g1), List.of(odd), List.of(), List.of(nasty),
        true).toJson());

    assertThat(json.get("errors").get(0).asText()).isEqualTo(nasty);
    assertThat(json.get("failures").get(0).get("reason").asText()).isEqualTo(nasty);
    assertThat(json.get("failures").get(0).get("group").asText()).isEqualTo("g\"1");
    assertThat(json.get("failures").get(0).get("repository").isNull()).isTrue();
  }

  @Test
  void jsonIsOneLineWithoutRawControlCharacters() {
    String json = report(List.of(g1), List.of(new Failure("g1", "a", "b", Operation.PRUNE,
        "line1\nline2\r\u001f")), List.of(), List.of(), true).toJson();

    assertThat(json).doesNotContain("\n", "\r", "\u001f").startsWith("{\"ok\":").endsWith("]}");
  }

  private static SyncReport report(List<GroupReport> groups, List<Failure> failures,
      List<RetainedTag> retained, List<String> errors, boolean saved) {
    return SyncReport.builder(STARTED, Duration.ofMillis(1500)).checkpointSaved(saved)
        .groups(groups).failures(failures).retainedTags(retained).errors(errors).build();
  }
}
