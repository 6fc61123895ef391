package dev.satellite.registry.internal.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which named repositories are offered as mount candidates for a target, in which order. */
class MountCandidatesTest {
  private static final String EDGE = "edge:5000";

  @Test
  void ranksByPathSegmentsSharedWithTheTargetThenByRecency() {
    MountCandidates candidates = new MountCandidates(100);
    candidates.add(EDGE, List.of("team/app/base", "team/lib", "other/x", "team/app/old"));

    assertThat(candidates.rank(EDGE, "team/app/web", 10))
        .containsExactly("team/app/old", "team/app/base", "team/lib", "other/x");
  }

  @Test
  void neverOffersTheTargetItselfNorAnotherRegistrysRepositories() {
    MountCandidates candidates = new MountCandidates(100);
    candidates.add(EDGE, List.of("app", "base"));
    candidates.add("other:5000", List.of("elsewhere"));

    assertThat(candidates.rank(EDGE, "app", 10)).containsExactly("base");
  }

  @Test
  void neverOffersARepositoryTheCopierCopiedInto() {
    MountCandidates candidates = new MountCandidates(100);
    candidates.add(EDGE, List.of("a", "b", "c"));

    candidates.copyingInto(EDGE, "b");

    assertThat(candidates.rank(EDGE, "target", 10)).containsExactly("c", "a");
  }

  @Test
  void offersAtMostTheLimit() {
    MountCandidates candidates = new MountCandidates(100);
    candidates.add(EDGE, List.of("a", "b", "c", "d"));

    assertThat(candidates.rank(EDGE, "target", 2)).containsExactly("d", "c");
    assertThat(candidates.rank(EDGE, "target", 0)).isEmpty();
  }

  @Test
  void aRepositoryUsedForAMountRanksFirstAmongEquals() {
    MountCandidates candidates = new MountCandidates(100);
    candidates.add(EDGE, List.of("a", "b", "c"));

    candidates.touch(EDGE, "a");

    assertThat(candidates.rank(EDGE, "target", 3)).containsExactly("a", "c", "b");
  }

  @Test
  void forgetsTheLeastRecentlyNamedBeyondItsBound() {
    MountCandidates candidates = new MountCandidates(3);
    candidates.add(EDGE, List.of("a", "b", "c"));
    candidates.add(EDGE, List.of("a", "d"));

    assertThat(candidates.rank(EDGE, "target", 10)).containsExactlyInAnyOrder("a", "c", "d");
  }

  @Test
  void countsWholePathSegmentsNotCharacters() {
    assertThat(MountCandidates.sharedSegments("team/application", new String[] {"team", "app"}))
        .isEqualTo(1);
    assertThat(MountCandidates.sharedSegments("teams/app", new String[] {"team", "app"}))
        .isZero();
  }
}
