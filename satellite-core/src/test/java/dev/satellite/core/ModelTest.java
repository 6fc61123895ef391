package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelTest {
  private static final String D1 = "sha256:" + "1".repeat(64);

  @Test
  void entityRejectsBadValuesWithTheRule() {
    assertThatThrownBy(() -> new Entity("Bad", "v1", D1)).hasMessageContaining("'Bad'");
    assertThatThrownBy(() -> new Entity("ok", "v/1", D1)).hasMessageContaining("'v/1'");
    assertThatThrownBy(() -> new Entity("ok", "v1", "sha256:xyz"))
        .hasMessageContaining("'sha256:xyz'");
  }

  @Test
  void entityKeyIsRepositoryAndTag() {
    assertThat(new Entity("proj-a/app", "v1", D1).key()).isEqualTo("proj-a/app:v1");
    assertThat(new Entity("proj-a/app", "v1", D1).key())
        .isNotEqualTo(new Entity("proj-b/app", "v1", D1).key());
  }

  @Test
  void checkpointIsImmutableAndCopiesItsInput() {
    List<Entity> entities = new ArrayList<>(List.of(new Entity("a", "v1", D1)));
    Checkpoint checkpoint = new Checkpoint(Optional.empty(), Map.of("g1", entities));
    entities.clear();
    assertThat(checkpoint.groups().get("g1")).hasSize(1);
    assertThatThrownBy(() -> checkpoint.groups().put("g2", List.of()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void checkpointEditsReturnCopies() {
    Checkpoint one = Checkpoint.EMPTY.withGroup("g1", List.of(new Entity("a", "v1", D1)));
    Checkpoint two = one.withGroup("g2", List.of()).withConfigDigest(Optional.of(D1));
    assertThat(one.groups()).containsOnlyKeys("g1");
    assertThat(two.groups()).containsOnlyKeys("g1", "g2");
    assertThat(two.configDigest()).contains(D1);
    assertThat(two.withoutGroup("g1").groups()).containsOnlyKeys("g2");
    assertThat(two.entityCount()).isEqualTo(1);
  }

  @Test
  void checkpointRejectsInvalidConfigDigest() {
    assertThatThrownBy(() -> Checkpoint.EMPTY.withConfigDigest(Optional.of("nope")))
        .hasMessageContaining("invalid digest");
  }

  @Test
  void inMemoryStoreRoundTrips() {
    try (InMemoryStateStore store = new InMemoryStateStore()) {
      assertThat(store.load()).isEmpty();
      Checkpoint checkpoint = Checkpoint.EMPTY.withGroup("g", List.of(new Entity("a", "t", D1)));
      store.save(checkpoint);
      assertThat(store.load()).contains(checkpoint);
      assertThat(store.saveCount()).isEqualTo(1);
    }
  }

  @Test
  void entitiesAreEqualExactlyWhenAllThreeComponentsAre() {
    String d2 = "sha256:" + "2".repeat(64);
    Entity entity = new Entity("a/app", "v1", D1);

    assertThat(entity).isEqualTo(new Entity("a/app", "v1", D1))
        .hasSameHashCodeAs(new Entity("a/app", "v1", D1));
    assertThat(entity).isNotEqualTo(new Entity("b/app", "v1", D1))
        .isNotEqualTo(new Entity("a/app", "v2", D1))
        .isNotEqualTo(new Entity("a/app", "v1", d2))
        .isNotEqualTo("a/app:v1@" + D1)
        .isNotEqualTo(null);
  }

  @Test
  void checkpointsAreEqualExactlyWhenConfigDigestAndGroupsAre() {
    Checkpoint checkpoint =
        new Checkpoint(Optional.of(D1), Map.of("g", List.of(new Entity("a", "t", D1))));

    assertThat(checkpoint)
        .isEqualTo(new Checkpoint(Optional.of(D1), Map.of("g", List.of(new Entity("a", "t", D1)))))
        .hasSameHashCodeAs(
            new Checkpoint(Optional.of(D1), Map.of("g", List.of(new Entity("a", "t", D1)))));
    assertThat(checkpoint).isNotEqualTo(checkpoint.withConfigDigest(Optional.empty()))
        .isNotEqualTo(checkpoint.withGroup("g", List.of()))
        .isNotEqualTo(checkpoint.withGroup("h", List.of()));
  }
}
