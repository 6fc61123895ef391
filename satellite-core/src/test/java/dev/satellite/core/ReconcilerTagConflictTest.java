package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tag that two groups desire at different digests: the edge can hold only one, so neither is
 * copied, both groups report it, and the edge keeps what it holds under the tag.
 */
class ReconcilerTagConflictTest extends ReconcilerFixture {
  private final Entity otherApp1 = entity("library/app", "v1", 7);

  @ParameterizedTest(name = "{0} groups at a time")
  @ValueSource(ints = {1, 2})
  void tagDesiredAtTwoDigestsByTwoGroupsIsCopiedForNeither(int groupParallelism) {
    source.group("g1", app1, web).group("g2", otherApp1, app2);

    SyncReport report = reconciler().groupParallelism(groupParallelism).build().sync();

    assertThat(report.ok()).isFalse();
    assertThat(edge.replicated()).containsExactlyInAnyOrder(web, app2);
    assertThat(edge.tagAt("library/app", "v1")).isNull();
    assertThat(recorded("g1")).containsExactly(web);
    assertThat(recorded("g2")).containsExactly(app2);
    assertThat(report.failures()).extracting(Failure::group).containsExactlyInAnyOrder("g1", "g2");
    assertThat(report.failures()).allSatisfy(failure -> {
      assertThat(failure.operation()).isEqualTo(Operation.VALIDATE);
      assertThat(failure.repository()).isEqualTo("library/app");
      assertThat(failure.tag()).isEqualTo("v1");
    });
    Failure ofG1 = report.failures().stream().filter(f -> f.group().equals("g1")).findFirst()
        .orElseThrow();
    assertThat(ofG1.reason()).isEqualTo("tag library/app:v1 is desired at " + app1.digest()
        + " by group g1 but at " + otherApp1.digest() + " by group g2; the edge keeps what it"
        + " holds under the tag until the groups agree");
  }

  @Test
  void tagInPlaceKeepsItsImageWhenAnotherGroupWantsItAtAnotherDigest() {
    source.group("g1", app1, web);
    Reconciler reconciler = reconciler().build();
    assertThat(reconciler.sync().ok()).isTrue();
    source.group("g2", otherApp1);
    edge.forgetCalls();

    SyncReport report = reconciler.sync();

    assertThat(report.ok()).isFalse();
    assertThat(edge.replicated()).isEmpty();
    assertThat(edge.deletes()).isEmpty();
    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, web);
    assertThat(recorded("g2")).isEmpty();
    assertThat(report.failures()).extracting(Failure::group).containsExactlyInAnyOrder("g1", "g2");
  }

  @Test
  void conflictEndsOnceTheGroupsAgree() {
    source.group("g1", app1).group("g2", otherApp1);
    Reconciler reconciler = reconciler().build();
    reconciler.sync();
    source.group("g2", app1);

    SyncReport report = reconciler.sync();

    assertThat(report.ok()).isTrue();
    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(recorded("g1")).containsExactly(app1);
  }

  @Test
  void tagDesiredAtOneDigestByTwoGroupsIsNoConflict() {
    source.group("g1", app1).group("g2", app1, web);

    SyncReport report = reconciler().build().sync();

    assertThat(report.ok()).isTrue();
    assertThat(report.failures()).isEmpty();
    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(edge.digestAt(web)).contains(web.digest());
  }

  @Test
  void groupWhoseStateCannotBeReadTakesNoPartInConflicts() {
    source.group("g1", app1).group("g2", otherApp1).unreadable("g2");

    SyncReport report = reconciler().build().sync();

    assertThat(edge.digestAt(app1)).contains(app1.digest());
    assertThat(recorded("g1")).containsExactly(app1);
    assertThat(report.failures()).isEmpty();
    assertThat(report.errors()).singleElement().asString().contains("g2");
  }
}
