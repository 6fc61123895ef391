package dev.satellite.core;

import java.util.List;

/** Values shared by the reconciler tests. */
final class Fixtures {
  private Fixtures() {}

  /** A valid sha256 digest made from {@code n}. */
  static String digest(int n) {
    return "sha256:" + String.format("%064x", n);
  }

  static Entity entity(String repository, String tag, int digest) {
    return new Entity(repository, tag, digest(digest));
  }

  static Reconciler.Builder reconciler(FakeStateSource source, FakeReplicator edge,
      StateStore store) {
    return Reconciler.builder().stateSource(source).replicator(edge).stateStore(store);
  }

  /** The entities the store's current checkpoint records for {@code group}. */
  static List<Entity> recorded(RecordingStateStore store, String group) {
    return store.current().groups().getOrDefault(group, List.of());
  }
}
