package dev.satellite.core;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link StateStore} that keeps the checkpoint in memory: for tests, and for agents that accept
 * starting from scratch after a restart. Thread-safe.
 */
public final class InMemoryStateStore implements StateStore {
  private final AtomicReference<Checkpoint> current = new AtomicReference<>();
  private final AtomicInteger saves = new AtomicInteger();

  public InMemoryStateStore() {}

  public InMemoryStateStore(Checkpoint initial) {
    current.set(Objects.requireNonNull(initial, "initial"));
  }

  @Override
  public Optional<Checkpoint> load() {
    return Optional.ofNullable(current.get());
  }

  @Override
  public void save(Checkpoint checkpoint) {
    current.set(Objects.requireNonNull(checkpoint, "checkpoint"));
    saves.incrementAndGet();
  }

  /** How many times {@link #save} was called. */
  public int saveCount() {
    return saves.get();
  }

  @Override
  public void close() {}
}
