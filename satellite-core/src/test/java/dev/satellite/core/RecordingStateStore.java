package dev.satellite.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link StateStore} in memory that keeps every saved checkpoint and can fail saves or loads. */
final class RecordingStateStore implements StateStore {
  private final List<Checkpoint> saves = new ArrayList<>();
  private Checkpoint current;
  private boolean failSaves;
  private boolean failLoads;

  RecordingStateStore() {}

  RecordingStateStore(Checkpoint initial) {
    current = initial;
  }

  @Override
  public synchronized Optional<Checkpoint> load() {
    if (failLoads) {
      throw new StateStoreException("load checkpoint /var/lib/satellite/state.json: disk error");
    }
    return Optional.ofNullable(current);
  }

  @Override
  public synchronized void save(Checkpoint checkpoint) {
    if (failSaves) {
      throw new StateStoreException("save checkpoint /var/lib/satellite/state.json: disk full");
    }
    current = checkpoint;
    saves.add(checkpoint);
  }

  synchronized RecordingStateStore failSaves(boolean value) {
    failSaves = value;
    return this;
  }

  synchronized RecordingStateStore failLoads(boolean value) {
    failLoads = value;
    return this;
  }

  synchronized List<Checkpoint> saves() {
    return List.copyOf(saves);
  }

  synchronized Checkpoint current() {
    return current;
  }

  @Override
  public void close() {}
}
