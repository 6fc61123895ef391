package dev.satellite.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Edge switching without a registry: two MockWebServers stand for the old and the new edge, and
 * the requests each receives show which replicator a call went to.
 */
class SwitchableReplicatorTest {
  /** What to release with a replicator whose edge client the test keeps. */
  private static final AutoCloseable NOTHING = () -> { };

  private final MockWebServer oldEdge = new MockWebServer();
  private final MockWebServer newEdge = new MockWebServer();
  private RegistryClient oldClient;
  private RegistryClient newClient;

  @BeforeEach
  void start() throws Exception {
    oldEdge.start();
    newEdge.start();
    oldClient = client(oldEdge);
    newClient = client(newEdge);
  }

  @AfterEach
  void stop() {
    oldClient.close();
    newClient.close();
    oldEdge.close();
    newEdge.close();
  }

  @Test
  void everyCallGoesToTheEdgeCurrentWhenItIsMade() throws Exception {
    oldEdge.enqueue(deleted());
    newEdge.enqueue(deleted());
    newEdge.enqueue(deleted());
    try (SwitchableReplicator replicator =
        new SwitchableReplicator(replicator(oldClient), NOTHING)) {
      assertThat(replicator.deleteTag("apps/web", "v1")).isTrue();

      replicator.switchTo(replicator(newClient), NOTHING);
      assertThat(replicator.deleteTag("apps/web", "v2")).isTrue();
      assertThat(replicator.deleteTag("apps/api", "v1")).isTrue();
    }

    assertThat(oldEdge.getRequestCount()).isEqualTo(1);
    assertThat(oldEdge.takeRequest().getTarget()).isEqualTo("/v2/apps/web/manifests/v1");
    assertThat(newEdge.getRequestCount()).isEqualTo(2);
    assertThat(newEdge.takeRequest().getTarget()).isEqualTo("/v2/apps/web/manifests/v2");
    assertThat(newEdge.takeRequest().getTarget()).isEqualTo("/v2/apps/api/manifests/v1");
  }

  @Test
  void aCallInFlightWhenTheEdgeChangesFinishesOnTheOldEdgeWhileLaterCallsGoToTheNew()
      throws Exception {
    oldEdge.enqueue(new MockResponse.Builder().code(202)
        .headersDelay(700, TimeUnit.MILLISECONDS).build());
    newEdge.enqueue(deleted());
    try (SwitchableReplicator replicator =
        new SwitchableReplicator(replicator(oldClient), NOTHING)) {
      CompletableFuture<Boolean> inFlight =
          CompletableFuture.supplyAsync(() -> replicator.deleteTag("apps/web", "old"));
      RecordedRequest arrived = oldEdge.takeRequest(5, TimeUnit.SECONDS);
      assertThat(arrived).as("the slow call reached the old edge").isNotNull();

      replicator.switchTo(replicator(newClient), NOTHING);
      assertThat(replicator.deleteTag("apps/web", "new")).isTrue();
      assertThat(inFlight).as("still waiting for the old edge's answer").isNotDone();

      assertThat(inFlight.get(5, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(oldEdge.getRequestCount()).isEqualTo(1);
    assertThat(newEdge.getRequestCount()).isEqualTo(1);
    assertThat(newEdge.takeRequest().getTarget()).isEqualTo("/v2/apps/web/manifests/new");
  }

  @Test
  void aReplacedReplicatorIsReleasedWhenItsLastCallInFlightReturnsAndNothingIsKept()
      throws Exception {
    oldEdge.enqueue(new MockResponse.Builder().code(202)
        .headersDelay(700, TimeUnit.MILLISECONDS).build());
    AtomicInteger released = new AtomicInteger();
    try (SwitchableReplicator replicator =
        new SwitchableReplicator(replicator(oldClient), released::incrementAndGet)) {
      CompletableFuture<Boolean> inFlight =
          CompletableFuture.supplyAsync(() -> replicator.deleteTag("apps/web", "old"));
      assertThat(oldEdge.takeRequest(5, TimeUnit.SECONDS)).isNotNull();

      replicator.switchTo(replicator(newClient), NOTHING);
      assertThat(replicator.generation()).isEqualTo(1);
      assertThat(replicator.retiring()).as("kept while its call is in flight").isEqualTo(1);
      assertThat(released).hasValue(0);

      assertThat(inFlight.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(replicator.retiring()).as("released once the call returned").isZero();
      assertThat(released).hasValue(1);

      replicator.switchTo(replicator(oldClient), released::incrementAndGet);
      replicator.switchTo(replicator(newClient), NOTHING);
      assertThat(replicator.generation()).isEqualTo(3);
      assertThat(replicator.retiring()).as("an idle replicator is released at once").isZero();
      assertThat(released).hasValue(2);
    }
  }

  @Test
  void closingReleasesTheCurrentReplicatorAndRefusesLaterSwitches() {
    AtomicInteger released = new AtomicInteger();
    SwitchableReplicator replicator =
        new SwitchableReplicator(replicator(oldClient), released::incrementAndGet);

    replicator.close();
    replicator.close();

    assertThat(released).as("once").hasValue(1);
    assertThatThrownBy(() -> replicator.switchTo(replicator(newClient), NOTHING))
        .isInstanceOf(IllegalStateException.class);
  }

  private static RegistryReplicator replicator(RegistryClient edge) {
    return RegistryReplicator.builder(registry -> {
      throw new AssertionError("no source registry is needed: " + registry);
    }, edge).build();
  }

  private static RegistryClient client(MockWebServer server) {
    return RegistryClient.builder("http://" + server.getHostName() + ":" + server.getPort())
        .maxRetries(0).readTimeout(Duration.ofSeconds(5)).build();
  }

  private static MockResponse deleted() {
    return new MockResponse.Builder().code(202).build();
  }
}
