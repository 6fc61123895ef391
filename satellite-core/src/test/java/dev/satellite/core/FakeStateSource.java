package dev.satellite.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory upstream: a satellite state, group states, a config, and chosen failures. */
final class FakeStateSource implements StateSource {
  static final String UPSTREAM = "https://upstream.example";

  private final List<String> followed = new ArrayList<>();
  private final Map<String, GroupState> groups = new ConcurrentHashMap<>();
  private final Set<String> unreadable = ConcurrentHashMap.newKeySet();
  private volatile boolean satelliteStateUnreadable;
  private volatile String configRef;
  private volatile String configDigest;
  private volatile byte[] config;
  private volatile CountDownLatch satelliteStateGate;
  final AtomicInteger satelliteStateReads = new AtomicInteger();
  final AtomicInteger groupReads = new AtomicInteger();
  final AtomicInteger configDigestReads = new AtomicInteger();
  final AtomicInteger configReads = new AtomicInteger();

  /** Publishes group {@code ref} with {@code entities} and follows it (if not yet followed). */
  synchronized FakeStateSource group(String ref, Entity... entities) {
    groups.put(ref, new GroupState(ref, UPSTREAM, List.of(entities)));
    if (!followed.contains(ref)) {
      followed.add(ref);
    }
    return this;
  }

  /** Publishes group {@code ref} with valid entities and rejected entries, and follows it. */
  synchronized FakeStateSource group(String ref, List<Entity> entities, List<RejectedEntry> bad) {
    groups.put(ref, new GroupState(ref, UPSTREAM, entities, bad));
    if (!followed.contains(ref)) {
      followed.add(ref);
    }
    return this;
  }

  /**
   * Publishes group {@code ref} with {@code pinned} entities and {@code byTag} ones whose digests
   * the source looked up by tag, and follows it.
   */
  synchronized FakeStateSource groupResolvedByTag(
      String ref, List<Entity> pinned, List<Entity> byTag) {
    List<Entity> entities = new ArrayList<>(pinned);
    entities.addAll(byTag);
    groups.put(ref, new GroupState(ref, UPSTREAM, entities, List.of(), byTag));
    if (!followed.contains(ref)) {
      followed.add(ref);
    }
    return this;
  }

  /** Makes the satellite state list exactly {@code refs}. */
  synchronized FakeStateSource follow(String... refs) {
    followed.clear();
    followed.addAll(List.of(refs));
    return this;
  }

  FakeStateSource unreadable(String groupRef) {
    unreadable.add(groupRef);
    return this;
  }

  FakeStateSource satelliteStateUnreadable(boolean value) {
    satelliteStateUnreadable = value;
    return this;
  }

  FakeStateSource config(String ref, String digest, byte[] body) {
    configRef = ref;
    configDigest = digest;
    config = body;
    return this;
  }

  /** Makes the next satellite state reads wait for {@code gate}. */
  FakeStateSource holdSatelliteState(CountDownLatch gate) {
    satelliteStateGate = gate;
    return this;
  }

  @Override
  public SatelliteState fetchSatelliteState() {
    satelliteStateReads.incrementAndGet();
    CountDownLatch gate = satelliteStateGate;
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SatelliteException("read satellite state: interrupted");
      }
    }
    if (satelliteStateUnreadable) {
      throw new SatelliteException("read satellite state upstream.example/sat:latest: 503");
    }
    synchronized (this) {
      return new SatelliteState(List.copyOf(followed), Optional.ofNullable(configRef));
    }
  }

  @Override
  public GroupState fetchGroup(String ref) {
    groupReads.incrementAndGet();
    if (unreadable.contains(ref)) {
      throw new SatelliteException("read group state " + ref + ": 404 manifest unknown");
    }
    GroupState state = groups.get(ref);
    if (state == null) {
      throw new SatelliteException("read group state " + ref + ": not published");
    }
    return state;
  }

  @Override
  public String configDigest(String ref) {
    configDigestReads.incrementAndGet();
    return configDigest;
  }

  @Override
  public byte[] fetchConfig(String ref) {
    configReads.incrementAndGet();
    return config.clone();
  }
}
