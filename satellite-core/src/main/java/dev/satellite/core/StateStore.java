package dev.satellite.core;

import java.util.Optional;

/**
 * Where the {@link Checkpoint} lives between runs. Implementations must make {@link #save} atomic:
 * after a crash at any instant, {@link #load} returns either the previous or the new checkpoint,
 * never a mix and never a torn one.
 */
public interface StateStore extends AutoCloseable {

  /**
   * Returns the last saved checkpoint, or empty when there is none (first run) or when the stored
   * one could not be trusted (the implementation then says so in a warning and keeps the bad copy).
   *
   * @throws StateStoreException when the store cannot be read at all
   */
  Optional<Checkpoint> load();

  /**
   * Durably replaces the stored checkpoint. When it returns, the checkpoint survives a crash.
   *
   * @throws StateStoreException when it could not be saved; the previous checkpoint is then intact
   */
  void save(Checkpoint checkpoint);

  /** Releases what the store holds (a file lock, say). Does not throw checked exceptions. */
  @Override
  void close();
}
