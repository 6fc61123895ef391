package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.runtime.RegistryFallback;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Satellite} end to end between two real registries. */
@RequiresRegistry
class SatelliteIT {
  private static final String USER = "ground-control";
  private static final String PASSWORD = "upstream-secret";

  @TempDir Path temp;
  private DistributionRegistry upstreamRegistry;
  private DistributionRegistry edgeRegistry;
  private RegistryClient upstream;
  private RegistryClient edge;
  private StatePublisher publisher;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void startRegistries() {
    upstreamRegistry = DistributionRegistry.builder().basicAuth(USER, PASSWORD).start();
    edgeRegistry = DistributionRegistry.builder().start();
    upstream = RegistryClient.builder(upstreamRegistry.baseUrl())
        .credentials(Credentials.basic(USER, PASSWORD)).build();
    edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
    publisher = StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
  }

  @AfterEach
  void stop() {
    Collections.reverse(toClose);
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    for (AutoCloseable c : new AutoCloseable[] {upstream, edge, upstreamRegistry, edgeRegistry}) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private String pushImage(String repository, long seed, TestBlob layer, String tag) {
    TestImage image = TestImages.image(Format.OCI, seed, layer);
    return upstreamRegistry.push(repository, image, tag);
  }

  /** Publishes one group holding {@code images} ("repo:tag") and the satellite state. */
  private String publish(String... images) {
    List<StateImage> desired = new ArrayList<>();
    for (String image : images) {
      String[] parts = image.split(":");
      desired.add(new StateImage(parts[0], List.of(parts[1]), Optional.empty()));
    }
    String group =
        publisher.publishGroup("g1", upstreamRegistry.baseUrl(), desired).reference();
    return publisher.publishSatellite("edge-1", List.of(group), Optional.empty()).reference();
  }

  private Satellite.Builder satellite(String stateRef, Path directory) {
    return Satellite.builder().upstream(upstream, stateRef).edge(edge).stateDirectory(directory);
  }

  private Satellite open(Satellite.Builder builder) {
    Satellite satellite = builder.build();
    toClose.add(satellite);
    return satellite;
  }

  @Test
  void syncOnceCopiesTheDesiredImagesAndKeepsEveryFileInTheStateDirectory() throws Exception {
    String digest = pushImage("library/app", 1, TestBlob.random(11, 300_000), "v1");
    String stateRef = publish("library/app:v1");
    Path directory = temp.resolve("state");

    try (Satellite satellite = satellite(stateRef, directory).build()) {
      SyncReport first = satellite.syncOnce();
      assertThat(first.ok()).as(first.toJson()).isTrue();
      assertThat(first.replicated()).isEqualTo(1);
      SyncReport second = satellite.syncOnce();
      assertThat(second.replicated()).isZero();
      assertThat(second.unchanged()).isEqualTo(1);
      assertThat(satellite.stateDirectory()).contains(directory.toAbsolutePath());
    }

    assertThat(edge.headManifest("library/app", "v1")).get()
        .satisfies(d -> assertThat(d.digest().toString()).isEqualTo(digest));
    assertThat(directory.resolve(Satellite.CHECKPOINT_FILE)).isRegularFile();
    assertThat(directory.resolve(Satellite.UPLOAD_JOURNAL_DIRECTORY)).isDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");
    try (AtomicFileStateStore store =
        AtomicFileStateStore.open(directory.resolve(Satellite.CHECKPOINT_FILE))) {
      assertThat(store.load().orElseThrow().groups().values())
          .singleElement()
          .satisfies(entities -> assertThat(entities)
              .containsExactly(new Entity("library/app", "v1", digest)));
    }
  }

  @Test
  void registryFallbackGetsTheConfigTheSatelliteReadAndAFailedApplicationIsRetried()
      throws Exception {
    pushImage("library/app", 1, TestBlob.random(11, 100_000), "v1");
    String config = publisher.publishConfig("edge-1", """
        {"state_config": {}, "app_config": {"registry_fallback": {"enabled": true,
          "registries": ["docker.io"], "runtimes": ["docker"]}}}
        """.getBytes(StandardCharsets.UTF_8)).reference();
    String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(),
        List.of(new StateImage("library/app", List.of("v1"), Optional.empty()))).reference();
    String stateRef =
        publisher.publishSatellite("edge-1", List.of(group), Optional.of(config)).reference();
    Path node = temp.resolve("node");
    Path daemonJson = node.resolve("etc/docker/daemon.json");
    Files.createDirectories(daemonJson.getParent());
    Files.writeString(daemonJson, "{broken");
    RegistryFallback fallback = new RegistryFallback(edgeRegistry.baseUrl(), node);
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    Satellite.Builder builder = satellite(stateRef, temp.resolve("state"))
        .satelliteConfigListener(typed -> {
          calls.add("typed");
          fallback.accept(typed);
        })
        .configHandler((digest, body) -> calls.add("raw " + digest));

    try (Satellite satellite = builder.build()) {
      SyncReport failed = satellite.syncOnce();
      assertThat(failed.errors()).singleElement().asString()
          .contains("config handler failed", "registry_fallback: " + daemonJson);
      assertThat(calls).containsExactly("typed");

      Files.writeString(daemonJson, "{}\n");
      SyncReport applied = satellite.syncOnce();
      assertThat(applied.errors()).as(applied.toJson()).isEmpty();
      assertThat(Files.readString(daemonJson))
          .contains("\"registry-mirrors\"", edgeRegistry.baseUrl());
      assertThat(calls).hasSize(3).startsWith("typed", "typed")
          .last().asString().startsWith("raw sha256:");

      satellite.syncOnce();
      assertThat(calls).as("the config is applied once per digest").hasSize(3);
    }
  }

  @Test
  void aSecondSatelliteOnTheSameDirectoryIsRefusedAndTheFirstKeepsWorking() {
    pushImage("library/app", 1, TestBlob.random(11, 100_000), "v1");
    String stateRef = publish("library/app:v1");
    Path directory = temp.resolve("state");
    Satellite first = open(satellite(stateRef, directory));

    assertThatThrownBy(() -> satellite(stateRef, directory).build())
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("state directory " + directory.toAbsolutePath())
        .hasMessageContaining("in use by another satellite");

    assertThat(first.syncOnce().ok()).isTrue();
    first.close();
    try (Satellite again = satellite(stateRef, directory).build()) {
      assertThat(again.syncOnce().unchanged()).isEqualTo(1);
    }
  }

  @Test
  void startRunsPassesOneAfterAnotherUntilClosed() throws Exception {
    pushImage("library/app", 1, TestBlob.random(11, 100_000), "v1");
    String stateRef = publish("library/app:v1");
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch threePasses = new CountDownLatch(3);
    SyncListener listener = new SyncListener() {
      @Override
      public void syncStarted() {
        if (running.incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        threads.add(Thread.currentThread().getName());
      }

      @Override
      public void syncFinished(SyncReport report) {
        running.decrementAndGet();
        threePasses.countDown();
      }
    };
    Satellite satellite = open(satellite(stateRef, temp.resolve("state")).listener(listener));

    satellite.start(Duration.ofMillis(100));

    assertThat(satellite.isRunning()).isTrue();
    assertThat(threePasses.await(30, TimeUnit.SECONDS)).isTrue();
    satellite.close();
    assertThat(satellite.isRunning()).isFalse();
    assertThat(overlaps.get()).isZero();
    assertThat(threads).allMatch("satellite-sync"::equals);
    assertThat(edge.headManifest("library/app", "v1")).isPresent();
    assertThatThrownBy(() -> satellite.start(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(satellite::syncOnce)
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheLoop() throws Exception {
    pushImage("library/app", 1, TestBlob.random(11, 100_000), "v1");
    String stateRef = publish("library/app:v1");
    CountDownLatch twoPasses = new CountDownLatch(2);
    SyncListener throwing = new SyncListener() {
      @Override
      public void syncStarted() {
        throw new IllegalStateException("listener bug at start");
      }

      @Override
      public void syncFinished(SyncReport report) {
        twoPasses.countDown();
        throw new IllegalStateException("listener bug at the end");
      }
    };
    Satellite satellite = open(satellite(stateRef, temp.resolve("state")).listener(throwing));

    satellite.start(Duration.ofMillis(50));

    assertThat(twoPasses.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(edge.headManifest("library/app", "v1")).isPresent();
  }

  @Test
  void closeDuringALargeCopyReturnsPromptlyWithTheCheckpointSavedAndTheEdgeConsistent()
      throws Exception {
    String small = pushImage("library/small", 1, TestBlob.random(11, 100_000), "v1");
    String large = pushImage("library/large", 2, TestBlob.random(12, 320L * 1024 * 1024), "v1");
    String stateRef = publish("library/small:v1", "library/large:v1");
    Path directory = temp.resolve("state");
    CountDownLatch largeUnderWay = new CountDownLatch(1);
    SyncListener listener = new SyncListener() {
      @Override
      public void bytesCopied(Entity entity, long bytesSoFar) {
        if (entity.repository().equals("library/large") && bytesSoFar > 64L * 1024 * 1024) {
          largeUnderWay.countDown();
        }
      }
    };
    Satellite satellite = satellite(stateRef, directory).listener(listener).build();
    satellite.start(Duration.ofMinutes(10));
    assertThat(largeUnderWay.await(60, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    satellite.close();
    long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(closeMillis).as("close() took %d ms", closeMillis).isLessThan(10_000);
    assertThat(edge.headManifest("library/large", "v1")).isEmpty();
    Checkpoint saved;
    try (AtomicFileStateStore store =
        AtomicFileStateStore.open(directory.resolve(Satellite.CHECKPOINT_FILE))) {
      saved = store.load().orElseThrow();
    }
    for (Entity inPlace : saved.groups().values().stream().flatMap(List::stream).toList()) {
      assertThat(edge.headManifest(inPlace.repository(), inPlace.tag()))
          .as("recorded in place: %s", inPlace).isPresent();
    }
    assertThat(saved.groups().values().stream().flatMap(List::stream))
        .noneMatch(e -> e.repository().equals("library/large"));

    try (Satellite again = satellite(stateRef, directory).build()) {
      SyncReport finish = again.syncOnce();
      assertThat(finish.ok()).as(finish.toJson()).isTrue();
    }
    assertThat(edge.headManifest("library/large", "v1")).get()
        .satisfies(d -> assertThat(d.digest().toString()).isEqualTo(large));
    assertThat(edge.headManifest("library/small", "v1")).get()
        .satisfies(d -> assertThat(d.digest().toString()).isEqualTo(small));
  }
}
