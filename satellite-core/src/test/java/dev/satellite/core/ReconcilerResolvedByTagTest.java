package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.core.SyncReport.ResolvedTag;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Entities whose digest the source looked up by tag (the group state gave none): copied and
 * checkpointed at the digest found, reported as resolved by tag, pruned when the tag moves on.
 */
class ReconcilerResolvedByTagTest extends ReconcilerFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void entityResolvedByTagIsCopiedRecordedAtItsDigestAndReported() throws Exception {
    source.groupResolvedByTag("g1", List.of(app1), List.of(web));

    SyncReport report = reconciler().build().sync();

    assertThat(report.ok()).isTrue();
    assertThat(edge.replicated()).containsExactlyInAnyOrder(app1, web);
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, web);
    assertThat(report.resolvedByTag()).isEqualTo(1);
    assertThat(report.resolvedTags()).containsExactly(new ResolvedTag("g1", web));
    JsonNode json = JSON.readTree(report.toJson());
    assertThat(json.get("resolvedByTag").asInt()).isEqualTo(1);
    JsonNode named = json.get("resolvedTags").get(0);
    assertThat(named.get("group").asText()).isEqualTo("g1");
    assertThat(named.get("repository").asText()).isEqualTo("library/web");
    assertThat(named.get("tag").asText()).isEqualTo("latest");
    assertThat(named.get("digest").asText()).isEqualTo(web.digest());
  }

  @Test
  void tagThatStillPointsAtTheRecordedDigestIsNotCopiedAgain() {
    source.groupResolvedByTag("g1", List.of(), List.of(web));
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    edge.forgetCalls();

    SyncReport again = reconciler.sync();

    assertThat(edge.replicated()).isEmpty();
    assertThat(again.unchanged()).isEqualTo(1);
    assertThat(again.resolvedByTag()).isEqualTo(1);
  }

  @Test
  void tagThatMovedUpstreamIsCopiedAtItsNewDigestAndTheOldOnePruned() {
    source.groupResolvedByTag("g1", List.of(), List.of(web));
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    Entity moved = entity("library/web", "latest", 9);
    source.groupResolvedByTag("g1", List.of(), List.of(moved));

    SyncReport report = reconciler.sync();

    assertThat(report.ok()).isTrue();
    assertThat(edge.digestAt(moved)).contains(moved.digest());
    assertThat(edge.hasManifest("library/web", web.digest())).isFalse();
    assertThat(recorded("g1")).containsExactly(moved);
  }

  @Test
  void resolvedEntityInConflictWithAnotherGroupIsNotCountedAsResolved() {
    Entity otherWeb = entity("library/web", "latest", 8);
    source.groupResolvedByTag("g1", List.of(), List.of(web)).group("g2", otherWeb);

    SyncReport report = reconciler().build().sync();

    assertThat(report.resolvedByTag()).isZero();
    assertThat(report.failed()).isEqualTo(2);
  }

  @Test
  void groupStateRefusesResolvedEntitiesThatAreNotAmongItsEntities() {
    assertThatThrownBy(
            () -> new GroupState("g1", FakeStateSource.UPSTREAM, List.of(app1), List.of(),
                List.of(web)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("g1");
  }
}
