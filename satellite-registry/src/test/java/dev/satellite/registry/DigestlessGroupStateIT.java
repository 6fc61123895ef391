package dev.satellite.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Entity;
import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.Reconciler;
import dev.satellite.core.SyncReport;
import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.ResolvedTag;
import dev.satellite.registry.testing.faults.SyncRig;
import dev.satellite.testing.RequiresRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group states as Ground Control publishes them, against real registries: entries without a
 * digest or with a placeholder are copied by the digest their tag has upstream, reported as
 * resolved by tag, and refused in strict mode.
 */
@RequiresRegistry
class DigestlessGroupStateIT {
  private SyncRig rig;
  private final InMemoryStateStore store = new InMemoryStateStore();

  @BeforeEach
  void start() {
    rig = new SyncRig();
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  @Test
  void digestlessEntriesSyncByTagAndFollowTheTagWhenItMoves() {
    Digest app = rig.push("proj/app", 1, "v1");
    Digest web = rig.push("proj/web", 2, "v1");
    Digest pinned = rig.push("proj/pinned", 3, "v1");
    String state = publish(
        "{\"repository\": \"proj/app\", \"tag\": [\"v1\"], \"type\": \"IMAGE\"}",
        SyncRig.entryJson("proj/web", "v1", "sha256:test123"),
        SyncRig.entryJson("proj/pinned", "v1", pinned.toString()),
        "{\"repository\": \"proj/never-pushed\", \"tag\": [\"v1\"], \"digest\": \"\"}");

    SyncReport first = sync(state, false);

    assertThat(rig.edgeTags(List.of("proj/app", "proj/web", "proj/pinned"))).isEqualTo(Map.of(
        "proj/app:v1", app.toString(), "proj/web:v1", web.toString(),
        "proj/pinned:v1", pinned.toString()));
    assertThat(first.resolvedTags()).extracting(ResolvedTag::entity).containsExactlyInAnyOrder(
        new Entity("proj/app", "v1", app.toString()), new Entity("proj/web", "v1", web.toString()));
    assertThat(first.toJson()).contains("\"resolvedByTag\":2");
    assertThat(first.failures()).as(first.toJson()).singleElement().satisfies(failure -> {
      assertThat(failure.repository() + ":" + failure.tag()).isEqualTo("proj/never-pushed:v1");
      assertThat(failure.reason()).contains("looking up the tag failed").contains("404");
    });
    assertThat(SyncRig.checkpointTags(store.load().orElseThrow()))
        .containsEntry("proj/app:v1", app.toString())
        .containsEntry("proj/web:v1", web.toString());

    Digest appMoved = rig.push("proj/app", 4, "v1");
    SyncReport second = sync(state, false);

    assertThat(second.replicated()).as(second.toJson()).isEqualTo(1);
    assertThat(rig.edgeTags(List.of("proj/app"))).containsEntry("proj/app:v1", appMoved.toString());
    assertThat(rig.edgeDirect.headManifest("proj/app", app.toString()))
        .as("the image the tag pointed at before is pruned").isEmpty();
    assertThat(SyncRig.checkpointTags(store.load().orElseThrow()))
        .containsEntry("proj/app:v1", appMoved.toString());
  }

  @Test
  void strictModeRefusesEntriesWithoutAValidDigest() {
    rig.push("proj/app", 1, "v1");
    Digest pinned = rig.push("proj/pinned", 3, "v1");
    String state = publish(
        "{\"repository\": \"proj/app\", \"tag\": [\"v1\"]}",
        SyncRig.entryJson("proj/pinned", "v1", pinned.toString()));

    SyncReport report = sync(state, true);

    assertThat(report.resolvedByTag()).isZero();
    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.operation()).isEqualTo(SyncReport.Operation.VALIDATE);
      assertThat(failure.repository()).isEqualTo("proj/app");
      assertThat(failure.reason()).contains("required field 'digest' is missing");
    });
    assertThat(report.failures()).extracting(Failure::tag).containsExactly("v1");
    assertThat(rig.edgeDirect.listTags("proj/app")).isEmpty();
    assertThat(rig.edgeTags(List.of("proj/pinned"))).containsEntry("proj/pinned:v1",
        pinned.toString());
  }

  private String publish(String... entries) {
    String group = rig.publishRawGroup("g1",
        SyncRig.groupJson(rig.upstreamProxy.baseUrl(), entries).getBytes(UTF_8));
    return rig.publishSatellite(List.of(group));
  }

  private SyncReport sync(String state, boolean requireDigests) {
    try (OciStateSource source = OciStateSource.builder(rig.upstream, state)
            .requireDigests(requireDigests).build();
        RegistryReplicator replicator = new RegistryReplicator(source.registryClients(), rig.edge)) {
      return Reconciler.builder().stateSource(source).replicator(replicator).stateStore(store)
          .build().sync();
    }
  }
}
