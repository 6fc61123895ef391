package dev.satellite.core;

import java.util.List;

/** The fakes and values the reconciler tests share: an upstream, an edge, a store, three images. */
abstract class ReconcilerFixture {
  protected final FakeStateSource source = new FakeStateSource();
  protected final FakeReplicator edge = new FakeReplicator();
  protected final RecordingStateStore store = new RecordingStateStore();

  protected final Entity app1 = entity("library/app", "v1", 1);
  protected final Entity app2 = entity("library/app", "v2", 2);
  protected final Entity web = entity("library/web", "latest", 3);

  /** A valid sha256 digest made from {@code n}. */
  static String digest(int n) {
    return "sha256:" + String.format("%064x", n);
  }

  static Entity entity(String repository, String tag, int digest) {
    return new Entity(repository, tag, digest(digest));
  }

  /** A builder wired to this fixture's upstream, edge and store. */
  protected Reconciler.Builder reconciler() {
    return Reconciler.builder().stateSource(source).replicator(edge).stateStore(store);
  }

  /** The entities the store's current checkpoint records for {@code group}. */
  protected List<Entity> recorded(String group) {
    return store.current().groups().getOrDefault(group, List.of());
  }
}
