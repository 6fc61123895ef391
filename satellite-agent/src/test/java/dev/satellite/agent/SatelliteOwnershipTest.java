package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.LeaderLease;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncListener;
import dev.satellite.registry.RegistryClient;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@link Satellite} owns: what it builds it closes (also when {@code build()} fails part
 * way), what it is handed stays the caller's and open.
 */
class SatelliteOwnershipTest {
  @TempDir Path temp;
  private final MockWebServer registry = new MockWebServer();
  private RegistryClient upstream;
  private RegistryClient edge;
  private String host;

  @BeforeEach
  void start() throws Exception {
    registry.start();
    host = registry.getHostName() + ":" + registry.getPort();
    upstream = RegistryClient.builder("http://" + host).build();
    edge = RegistryClient.builder("http://" + host).build();
  }

  @AfterEach
  void stop() {
    upstream.close();
    edge.close();
    registry.close();
  }

  private Satellite.Builder satellite(String stateRef) {
    return Satellite.builder().upstream(upstream, stateRef).edge(edge)
        .stateDirectory(temp.resolve("state"));
  }

  private String validRef() {
    return "http://" + host + "/satellite/satellite-state/edge-1/state:latest";
  }

  /** The client answers (a closed one throws before it asks). */
  private void assertUsable(RegistryClient client) {
    registry.enqueue(new MockResponse.Builder().code(404).build());
    assertThat(client.headManifest("library/app", "v1")).isEmpty();
  }

  @Test
  void aBuildThatFailsPartWayReleasesWhatItTookAndLeavesTheCallersClientsOpen() {
    // the state reference is checked after the directory, checkpoint and journal were opened
    assertThatThrownBy(() -> satellite("elsewhere.example.com/satellite/state:latest").build())
        .isInstanceOf(SatelliteException.class).hasMessageContaining("elsewhere.example.com");

    assertUsable(upstream);
    assertUsable(edge);
    try (Satellite again = satellite(validRef()).build()) {
      assertThat(again.stateDirectory()).contains(temp.resolve("state").toAbsolutePath());
    }
  }

  @Test
  void closeReleasesWhatTheSatelliteBuiltAndNotWhatItWasHanded() {
    AtomicInteger storeClosed = new AtomicInteger();
    StateStore store = new StateStore() {
      @Override
      public Optional<Checkpoint> load() {
        return Optional.empty();
      }

      @Override
      public void save(Checkpoint checkpoint) {}

      @Override
      public void close() {
        storeClosed.incrementAndGet();
      }
    };

    satellite(validRef()).stateStore(store).build().close();

    assertThat(storeClosed).hasValue(0);
    assertUsable(upstream);
    assertUsable(edge);
    try (Satellite again = satellite(validRef()).build()) {
      assertThat(again.isRunning()).isFalse();
    }
  }

  /** A lease that is never held and records whether it was closed. */
  private static final class UnheldLease implements LeaderLease {
    boolean closed;

    @Override
    public String name() {
      return "edge-1";
    }

    @Override
    public void start(Listener listener) {}

    @Override
    public OptionalLong heldEpoch() {
      return OptionalLong.empty();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void aLeaderLeaseWithoutASharedStoreIsRefusedBeforeAnythingIsOpened() {
    UnheldLease lease = new UnheldLease();
    assertThatThrownBy(() -> satellite(validRef()).leaderLease(lease).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("leaderLease(..) needs stateStore(..)");
    assertThat(temp.resolve("state")).doesNotExist();
  }

  @Test
  void theLeaseIsClosedWithTheSatelliteAndTheStoreStaysOpen() {
    UnheldLease lease = new UnheldLease();
    InMemoryStateStore store = new InMemoryStateStore();
    Satellite satellite = satellite(validRef()).stateStore(store).leaderLease(lease).build();
    assertThat(satellite.role()).contains(SyncListener.Role.STANDBY);
    assertThatThrownBy(satellite::syncOnce).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("standby");

    satellite.close();

    assertThat(lease.closed).isTrue();
    store.save(Checkpoint.EMPTY);
    assertThat(store.load()).contains(Checkpoint.EMPTY);
  }
}
