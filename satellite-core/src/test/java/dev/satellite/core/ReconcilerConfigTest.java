package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config step of {@link Reconciler#sync()}. */
class ReconcilerConfigTest extends ReconcilerFixture {
  private static final String CONFIG_REF = "upstream.example/satellite/config-state/c/state:latest";

  private final List<String> applied = new ArrayList<>();

  @Test
  void handlerIsCalledOnlyWhenTheConfigDigestChanges() {
    source.group("g1", entity("library/app", "v1", 1));
    Reconciler reconciler = reconciler()
        .configHandler((digest, config) ->
            applied.add(digest + " " + new String(config, StandardCharsets.UTF_8)))
        .build();

    source.config(CONFIG_REF, digest(100), bytes("{\"a\":1}"));
    reconciler.sync();
    reconciler.sync();
    source.config(CONFIG_REF, digest(101), bytes("{\"a\":2}"));
    reconciler.sync();

    assertThat(applied).containsExactly(digest(100) + " {\"a\":1}", digest(101) + " {\"a\":2}");
    assertThat(source.configReads).hasValue(2);
    assertThat(store.current().configDigest()).contains(digest(101));
  }

  @Test
  void configDigestIsCheckpointedOnlyAfterTheHandlerReturned() {
    source.config(CONFIG_REF, digest(100), bytes("{}"));
    List<Boolean> digestSavedWhileHandling = new ArrayList<>();
    Reconciler reconciler = reconciler()
        .configHandler((digest, config) -> digestSavedWhileHandling.add(
            store.current() != null && store.current().configDigest().isPresent()))
        .build();

    reconciler.sync();

    assertThat(digestSavedWhileHandling).containsExactly(false);
    assertThat(store.current().configDigest()).contains(digest(100));
  }

  @Test
  void handlerThatThrowsLeavesThePreviousDigestAndGetsTheConfigAgain() {
    source.config(CONFIG_REF, digest(100), bytes("{}"));
    boolean[] fail = {true};
    Reconciler reconciler = reconciler()
        .configHandler((digest, config) -> {
          applied.add(digest);
          if (fail[0]) {
            throw new IllegalStateException("config rejected by the application");
          }
        })
        .build();

    SyncReport failed = reconciler.sync();

    assertThat(failed.ok()).isFalse();
    assertThat(failed.errors()).singleElement().asString()
        .contains("config handler failed").contains("config rejected by the application");
    assertThat(store.current() == null || store.current().configDigest().isEmpty()).isTrue();
    fail[0] = false;
    SyncReport retried = reconciler.sync();
    assertThat(retried.ok()).isTrue();
    assertThat(applied).containsExactly(digest(100), digest(100));
    assertThat(store.current().configDigest()).contains(digest(100));
  }

  @Test
  void configChangeAloneCausesExactlyOneSave() {
    source.group("g1", entity("library/app", "v1", 1)).config(CONFIG_REF, digest(100), bytes("{}"));
    Reconciler reconciler = reconciler()
        .configHandler((digest, config) -> {}).build();
    reconciler.sync();
    int before = store.saves().size();
    source.config(CONFIG_REF, digest(101), bytes("{}"));

    reconciler.sync();

    assertThat(store.saves()).hasSize(before + 1);
    assertThat(store.saves().get(before).configDigest()).contains(digest(101));
  }

  @Test
  void configIsNotReadWithoutAHandler() {
    source.config(CONFIG_REF, digest(100), bytes("{}"));

    reconciler().build().sync();

    assertThat(source.configDigestReads).hasValue(0);
    assertThat(source.configReads).hasValue(0);
  }

  @Test
  void invalidConfigDigestIsReportedAndTheHandlerNotCalled() {
    source.config(CONFIG_REF, "md5:abc", bytes("{}"));

    SyncReport report = reconciler()
        .configHandler((digest, config) -> applied.add(digest)).build().sync();

    assertThat(applied).isEmpty();
    assertThat(report.errors()).singleElement().asString()
        .contains(CONFIG_REF).contains("invalid digest 'md5:abc'");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
