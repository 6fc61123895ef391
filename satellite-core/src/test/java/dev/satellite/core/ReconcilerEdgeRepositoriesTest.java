package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The mount hint of {@link Replicator#edgeRepositories}: which edge repositories the reconciler
 * names, and that it names them before the copies that may use them.
 */
class ReconcilerEdgeRepositoriesTest extends ReconcilerFixture {
  private final Entity legacy = entity("legacy/base", "v1", 9);
  private final HintRecorder recorder = new HintRecorder(edge);

  @Test
  void namesEveryCheckpointRepositoryBeforeTheFirstCopy() {
    store.save(Checkpoint.EMPTY.withGroup("old", List.of(legacy)).withGroup("g1", List.of(web)));
    source.follow("old", "g1").group("old", legacy).group("g1", web, app1);

    reconciler().replicator(recorder).build().sync();

    assertThat(recorder.events).first()
        .isEqualTo("hint [legacy/base, library/web]");
    assertThat(recorder.events.indexOf("replicate " + app1)).isGreaterThan(0);
  }

  @Test
  void namesEachGroupsDesiredRepositoriesBeforeItsCopies() {
    source.group("g1", app1, app2).group("g2", web);

    reconciler().replicator(recorder).build().sync();

    // Entities of one group are copied in parallel: their order among themselves is free.
    List<String> events = recorder.events;
    int appHint = events.indexOf("hint [library/app]");
    int webHint = events.indexOf("hint [library/web]");
    assertThat(appHint).as(events.toString()).isZero();
    assertThat(events.indexOf("replicate " + app1)).isBetween(appHint + 1, webHint - 1);
    assertThat(events.indexOf("replicate " + app2)).isBetween(appHint + 1, webHint - 1);
    assertThat(events.indexOf("replicate " + web)).isGreaterThan(webHint);
    assertThat(events).hasSize(5);
  }

  @Test
  void namesNoGroupWhoseEntitiesAreAllInPlace() {
    source.group("g1", app1);
    reconciler().build().sync();

    reconciler().replicator(recorder).build().sync();

    assertThat(recorder.events).containsExactly("hint [library/app]");
  }

  @Test
  void aFailingHintIsIgnoredAndTheCopiesGoOn() {
    recorder.failHints = true;
    source.group("g1", app1, web);

    SyncReport report = reconciler().replicator(recorder).build().sync();

    assertThat(report.ok()).isTrue();
    assertThat(report.replicated()).isEqualTo(2);
    assertThat(recorded("g1")).containsExactlyInAnyOrder(app1, web);
  }

  /** Passes every call to the fake edge, recording hints and copies in one ordered list. */
  private static final class HintRecorder implements Replicator {
    private final Replicator delegate;
    private final List<String> events = new ArrayList<>();
    private volatile boolean failHints;

    HintRecorder(Replicator delegate) {
      this.delegate = delegate;
    }

    @Override
    public void edgeRepositories(Set<String> repositories) {
      synchronized (events) {
        events.add("hint " + new TreeSet<>(repositories));
      }
      if (failHints) {
        throw new IllegalStateException("hint store unavailable");
      }
    }

    @Override
    public ReplicationResult replicate(
        String sourceRegistry, Entity entity, ReplicationProgress progress) {
      synchronized (events) {
        events.add("replicate " + entity);
      }
      return delegate.replicate(sourceRegistry, entity, progress);
    }

    @Override
    public void deleteManifest(String repository, String digest) {
      delegate.deleteManifest(repository, digest);
    }

    @Override
    public boolean deleteTag(String repository, String tag) {
      return delegate.deleteTag(repository, tag);
    }
  }
}
