package dev.satellite.agent.metrics.internal;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.StateStore;
import java.util.Optional;

/**
 * A {@link StateStore} whose saves are timed: each {@link #save}, successful or not, is recorded
 * in {@link PassFigures#checkpointSaves}. Everything else is the wrapped store's; closing closes it.
 */
public final class TimedStateStore implements StateStore {
  private final StateStore store;
  private final PassFigures.Timed saves;

  public TimedStateStore(StateStore store, PassFigures.Timed saves) {
    this.store = store;
    this.saves = saves;
  }

  @Override
  public Optional<Checkpoint> load() {
    return store.load();
  }

  @Override
  public void save(Checkpoint checkpoint) {
    long start = System.nanoTime();
    try {
      store.save(checkpoint);
    } finally {
      saves.record(System.nanoTime() - start);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
