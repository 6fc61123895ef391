package dev.satellite.core.internal;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is in place at the edge, as known to this process, and the last checkpoint the store holds.
 * Thread-safe: group workers record entities as they land while the pass saves.
 *
 * <p>Invariant: an entity is recorded only after the edge confirmed it (copied, or found present),
 * and removed only after the edge confirmed its removal, so any snapshot claims nothing that is not
 * in place. A group may hold two entries with the same key (tag) while the older digest awaits its
 * prune: the older manifest is still in the repository, and recording it is what gets it pruned
 * after a crash.
 *
 * <p>Workers of a pass write through a pass token; once the pass ends ({@link #endPass}), late
 * writes of a worker that outlived it are ignored, so they cannot race the next pass.
 *
 * <p>Every change to what is recorded bumps a version; a save moment with no change since the last
 * save (most of them in a pass that finds everything in place) returns without building a snapshot
 * or comparing content.
 */
public final class CheckpointKeeper {
  private static final Logger log = LoggerFactory.getLogger(CheckpointKeeper.class);
  private static final Comparator<Entity> ORDER =
      Comparator.comparing(Entity::repository)
          .thenComparing(Entity::tag)
          .thenComparing(Entity::digest);

  private final StateStore store;
  private final Map<String, Set<Entity>> groups = new LinkedHashMap<>();
  private Optional<String> configDigest = Optional.empty();
  /** Referrer marks per image key; only those of images recorded in place are saved. */
  private final Map<String, String> referrers = new HashMap<>();
  /** What the store holds; a store that holds nothing is treated as holding an empty checkpoint. */
  private Checkpoint lastSaved = Checkpoint.EMPTY;
  private long activePass;
  private long passCounter;
  /** Bumped by every change to what is recorded; {@link #savedVersion} is the one the store holds. */
  private long version;
  private long savedVersion;

  /** Starts from {@code baseline}, the checkpoint the store returned (it is what the store holds). */
  public CheckpointKeeper(StateStore store, Optional<Checkpoint> baseline) {
    this.store = store;
    baseline.ifPresent(
        checkpoint -> {
          configDigest = checkpoint.configDigest();
          checkpoint.groups().forEach((ref, list) -> groups.put(ref, new LinkedHashSet<>(list)));
          referrers.putAll(checkpoint.referrers());
          lastSaved = checkpoint;
        });
  }

  /** Opens a pass; returns the token its workers write with. */
  public synchronized long beginPass() {
    activePass = ++passCounter;
    return activePass;
  }

  /** Closes the pass: later writes with its token are ignored. */
  public synchronized void endPass() {
    activePass = 0;
  }

  public synchronized Checkpoint snapshot() {
    Map<String, List<Entity>> copy = new LinkedHashMap<>();
    groups.forEach(
        (ref, set) -> {
          List<Entity> list = new ArrayList<>(set);
          list.sort(ORDER);
          copy.put(ref, list);
        });
    Map<String, String> marks = new HashMap<>();
    copy.values().forEach(list -> list.forEach(entity -> {
      String key = Checkpoint.imageKey(entity.repository(), entity.digest());
      String mark = referrers.get(key);
      if (mark != null) {
        marks.put(key, mark);
      }
    }));
    return new Checkpoint(configDigest, copy, marks);
  }

  /** The referrers mark recorded for the image {@code key} ({@link Checkpoint#imageKey}). */
  public synchronized Optional<String> referrersMark(String key) {
    return Optional.ofNullable(referrers.get(key));
  }

  /** Forgets the referrers mark of image {@code key}: its referrers are gone from the edge. */
  public synchronized void forgetReferrers(String key) {
    if (referrers.remove(key) != null) {
      version++;
    }
  }

  /**
   * Records (or, with an empty {@code mark}, forgets) the referrers mark of image {@code key},
   * unless the pass has ended.
   */
  public synchronized void referrersMark(long pass, String key, Optional<String> mark) {
    if (pass != activePass) {
      return;
    }
    String before = mark.isPresent() ? referrers.put(key, mark.get()) : referrers.remove(key);
    if (!Objects.equals(before, mark.orElse(null))) {
      version++;
    }
  }

  public synchronized Set<String> groupRefs() {
    return new LinkedHashSet<>(groups.keySet());
  }

  public synchronized List<Entity> entities(String groupRef) {
    return new ArrayList<>(groups.getOrDefault(groupRef, Set.of()));
  }

  public synchronized Optional<String> configDigest() {
    return configDigest;
  }

  public synchronized void configDigest(String digest) {
    if (!configDigest.equals(Optional.of(digest))) {
      configDigest = Optional.of(digest);
      version++;
    }
  }

  /**
   * Forgets every entity recorded in place, keeping the groups (as pending) and the config
   * digest: for an edge that may not hold them, so that the next pass checks every desired entity
   * there and prunes nothing it did not confirm.
   */
  public synchronized void forgetEntities() {
    boolean any = groups.values().stream().anyMatch(set -> !set.isEmpty());
    groups.replaceAll((ref, set) -> new LinkedHashSet<>());
    if (any) {
      version++;
    }
  }

  /** Adds {@code groupRef} with nothing in place, if it is not recorded yet. */
  public synchronized void addPendingGroup(String groupRef) {
    if (groups.putIfAbsent(groupRef, new LinkedHashSet<>()) == null) {
      version++;
    }
  }

  /** Records that {@code entity} is in place for {@code groupRef}, unless the pass has ended. */
  public synchronized void add(long pass, String groupRef, Entity entity) {
    if (pass == activePass
        && groups.computeIfAbsent(groupRef, ref -> new LinkedHashSet<>()).add(entity)) {
      version++;
    }
  }

  /** Records that {@code entity} of {@code groupRef} is gone (or no longer this group's). */
  public synchronized void remove(String groupRef, Entity entity) {
    Set<Entity> set = groups.get(groupRef);
    if (set != null && set.remove(entity)) {
      version++;
    }
  }

  /** Forgets {@code groupRef} when nothing of it is left in place. */
  public synchronized void removeGroupIfEmpty(String groupRef) {
    Set<Entity> set = groups.get(groupRef);
    if (set != null && set.isEmpty()) {
      groups.remove(groupRef);
      version++;
    }
  }

  /**
   * Saves the current snapshot when its content differs from the last saved checkpoint (entity
   * order is not content). Saves are serialized; workers recording meanwhile wait for the save.
   * A failed save leaves the store with the previous checkpoint; it is reported to {@code onError}
   * (an internal, quick callback) and tried again at the next save moment. {@code onSaved} (it
   * reaches the application's listener) runs after the keeper is released.
   *
   * @return true when the store now holds the current content
   */
  public boolean saveIfChanged(Consumer<Checkpoint> onSaved, Consumer<String> onError) {
    Checkpoint current;
    synchronized (this) {
      if (version == savedVersion) {
        return true;
      }
      current = snapshot();
      if (sameContent(current, lastSaved)) {
        savedVersion = version;
        return true;
      }
      try {
        store.save(current);
      } catch (RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        onError.accept("save checkpoint: " + message);
        return false;
      }
      lastSaved = current;
      savedVersion = version;
    }
    log.debug("checkpoint saved: {} groups, {} entities", current.groups().size(),
        current.entityCount());
    onSaved.accept(current);
    return true;
  }

  /** True when the store holds what is in place now. */
  public synchronized boolean isSaved() {
    return version == savedVersion || sameContent(snapshot(), lastSaved);
  }

  static boolean sameContent(Checkpoint a, Checkpoint b) {
    return a.configDigest().equals(b.configDigest()) && asSets(a).equals(asSets(b))
        && a.referrers().equals(b.referrers());
  }

  private static Map<String, Set<Entity>> asSets(Checkpoint checkpoint) {
    Map<String, Set<Entity>> sets = new HashMap<>();
    checkpoint.groups().forEach((ref, list) -> sets.put(ref, new HashSet<>(list)));
    return sets;
  }
}
