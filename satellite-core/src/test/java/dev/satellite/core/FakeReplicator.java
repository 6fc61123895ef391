package dev.satellite.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory edge registry behind the {@link Replicator} SPI: tags and manifests per repository.
 * Records every call in order, and can fail chosen entities or manifests, refuse tag deletes,
 * block a chosen entity until released, or "crash" (throw an Error) after a number of copies.
 */
final class FakeReplicator implements Replicator {
  static final long BYTES_PER_COPY = 1000;
  private volatile ReplicationResult resultOfEachCopy =
      ReplicationResult.builder().blobsUploaded(2).blobsMounted(1).blobsSkipped(1)
          .bytesCopied(BYTES_PER_COPY).manifestsPushed(1).build();

  private final Map<String, Map<String, String>> tags = new HashMap<>();
  private final Set<String> manifests = new HashSet<>();
  private final List<String> calls = new ArrayList<>();
  private final List<Entity> replicated = new ArrayList<>();
  private final Set<String> failingKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> refusedKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> failingManifests = ConcurrentHashMap.newKeySet();
  private volatile boolean tagDeletes = true;
  private volatile String blockedKey;
  private volatile CountDownLatch blockEntered = new CountDownLatch(1);
  private volatile CountDownLatch blockRelease = new CountDownLatch(0);
  private volatile int crashAfterCopies = Integer.MAX_VALUE;
  private volatile long copyMillis;
  private final AtomicInteger copies = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();

  @Override
  public ReplicationResult replicate(String sourceRegistry, Entity entity, ReplicationProgress progress) {
    record("replicate " + entity);
    synchronized (this) {
      replicated.add(entity);
    }
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      if (entity.key().equals(blockedKey)) {
        blockEntered.countDown();
        try {
          blockRelease.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SatelliteException("copy " + entity + ": interrupted");
        }
      }
      if (copyMillis > 0) {
        sleep(copyMillis);
      }
      if (failingKeys.contains(entity.key())) {
        throw new SatelliteException("copy " + entity + " from " + sourceRegistry
            + ": 500 Internal Server Error");
      }
      if (refusedKeys.contains(entity.key())) {
        throw new PolicyRefusalException("signature policy: image " + entity + " is unsigned");
      }
      if (copies.incrementAndGet() > crashAfterCopies) {
        throw new Error("simulated crash while copying " + entity);
      }
      synchronized (this) {
        boolean present = entity.digest().equals(tagAt(entity.repository(), entity.tag()));
        if (present) {
          return ReplicationResult.ALREADY_PRESENT;
        }
        manifests.add(entity.repository() + "@" + entity.digest());
        tags.computeIfAbsent(entity.repository(), r -> new HashMap<>())
            .put(entity.tag(), entity.digest());
      }
      progress.transferred(BYTES_PER_COPY / 2);
      progress.transferred(BYTES_PER_COPY / 2);
      return resultOfEachCopy;
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** What each copy that puts an image in place returns from now on. */
  FakeReplicator resultOfEachCopy(ReplicationResult result) {
    this.resultOfEachCopy = result;
    return this;
  }

  @Override
  public void deleteManifest(String repository, String digest) {
    record("deleteManifest " + repository + "@" + digest);
    if (failingManifests.contains(repository + "@" + digest)) {
      throw new SatelliteException("delete manifest " + repository + "@" + digest
          + ": 405 Method Not Allowed");
    }
    synchronized (this) {
      manifests.remove(repository + "@" + digest);
      Map<String, String> repoTags = tags.getOrDefault(repository, Map.of());
      repoTags.values().removeIf(digest::equals);
    }
  }

  @Override
  public boolean deleteTag(String repository, String tag) {
    record("deleteTag " + repository + ":" + tag);
    if (!tagDeletes) {
      return false;
    }
    synchronized (this) {
      tags.getOrDefault(repository, new HashMap<>()).remove(tag);
    }
    return true;
  }

  /** Puts {@code entities} at the edge as if copied earlier, without recording calls. */
  synchronized FakeReplicator preload(Entity... entities) {
    for (Entity entity : entities) {
      manifests.add(entity.repository() + "@" + entity.digest());
      tags.computeIfAbsent(entity.repository(), r -> new HashMap<>())
          .put(entity.tag(), entity.digest());
    }
    return this;
  }

  FakeReplicator failCopyOf(Entity entity) {
    failingKeys.add(entity.key());
    return this;
  }

  /** Copies of {@code entity} are refused as a signature policy refuses an unsigned image. */
  FakeReplicator refuseCopyOf(Entity entity) {
    refusedKeys.add(entity.key());
    return this;
  }

  FakeReplicator healCopies() {
    failingKeys.clear();
    return this;
  }

  FakeReplicator failDeleteOf(String repository, String digest) {
    failingManifests.add(repository + "@" + digest);
    return this;
  }

  FakeReplicator healDeletes() {
    failingManifests.clear();
    return this;
  }

  FakeReplicator tagDeletes(boolean supported) {
    tagDeletes = supported;
    return this;
  }

  FakeReplicator crashAfterCopies(int count) {
    crashAfterCopies = count;
    return this;
  }

  FakeReplicator copyMillis(long millis) {
    copyMillis = millis;
    return this;
  }

  /** Makes the copy of {@code entity} wait until {@link #release()}; returns the entered latch. */
  CountDownLatch block(Entity entity) {
    blockEntered = new CountDownLatch(1);
    blockRelease = new CountDownLatch(1);
    blockedKey = entity.key();
    return blockEntered;
  }

  void release() {
    blockRelease.countDown();
  }

  synchronized String tagAt(String repository, String tag) {
    return tags.getOrDefault(repository, Map.of()).get(tag);
  }

  synchronized boolean hasManifest(String repository, String digest) {
    return manifests.contains(repository + "@" + digest);
  }

  /** Every call, in order: "replicate e", "deleteManifest r@d", "deleteTag r:t". */
  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  synchronized List<Entity> replicated() {
    return List.copyOf(replicated);
  }

  synchronized List<String> deletes() {
    return calls.stream().filter(call -> call.startsWith("delete")).toList();
  }

  synchronized void forgetCalls() {
    calls.clear();
    replicated.clear();
  }

  Optional<String> digestAt(Entity entity) {
    return Optional.ofNullable(tagAt(entity.repository(), entity.tag()));
  }

  private synchronized void record(String call) {
    calls.add(call);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SatelliteException("copy interrupted");
    }
  }
}
