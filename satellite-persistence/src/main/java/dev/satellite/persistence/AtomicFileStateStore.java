package dev.satellite.persistence;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.StateStore;
import dev.satellite.core.StateStoreException;
import dev.satellite.persistence.files.AtomicFileReplacer;
import dev.satellite.persistence.files.FileOps;
import dev.satellite.persistence.files.OwnerLock;
import dev.satellite.persistence.files.SystemFileOps;
import dev.satellite.persistence.internal.CheckpointReader;
import dev.satellite.persistence.internal.CheckpointWriter;
import dev.satellite.persistence.internal.CorruptCheckpointException;
import dev.satellite.persistence.internal.Quarantine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} that keeps the checkpoint in one JSON file and survives a crash (or power
 * loss) at any instant: after restart, {@link #load()} returns the last completed save, never a
 * torn file.
 *
 * <p><b>Save</b> writes a uniquely named temp file {@code <name>.tmp-<hex>} in the same directory,
 * {@code fsync}s it, renames it over the file with {@code ATOMIC_MOVE} and {@code fsync}s the
 * directory (skipped on Windows, which cannot open directories; there NTFS journals the rename). A
 * save of a checkpoint equal to the last one saved or loaded writes nothing, sparing flash storage.
 *
 * <p><b>File format</b> (version 3): pretty-printed UTF-8 JSON with {@code format}, {@code
 * version}, {@code savedAt}, {@code configDigest}, {@code groups} (each a {@code ref} and its
 * {@code entities}), {@code referrers} (each image's referrers mark) and last a {@code sha256}
 * checksum: the SHA-256 of the exact bytes written before it, up to the {@code ]} that closes
 * {@code referrers}. It catches truncation and any changed byte, whitespace included. Files of
 * versions 1 and 2 (checksummed over their values) are still read; the next save writes version
 * 3. The file is written as a stream and read whole before parsing: memory stays proportional to
 * the checkpoint itself.
 *
 * <p><b>Load</b> returns empty when the file does not exist (first run). A file that is not valid
 * JSON, is truncated, fails its checksum, has another {@code format}, a future {@code version} or
 * invalid values is logged at WARN with the reason, renamed to {@code <name>.corrupt-<timestamp>}
 * (kept for inspection, never overwritten), and load returns empty so the caller starts fresh.
 *
 * <p><b>Exclusivity</b>: the store holds an OS lock on {@code <name>.lock} from {@link #open} to
 * {@link #close}; a second store on the same file, in this or another process, fails to open. On
 * open, temp files left by an interrupted save are removed. Missing parent directories are created.
 *
 * <p>Thread-safe: calls are serialized.
 */
public final class AtomicFileStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicFileStateStore.class);

  private final Path path;
  private final Clock clock;
  private final OwnerLock lock;
  private final AtomicFileReplacer replacer;
  private final Quarantine quarantine;
  private Checkpoint lastKnown;
  private boolean closed;

  private AtomicFileStateStore(Path path, FileOps ops, Clock clock, OwnerLock lock) {
    this.path = path;
    this.clock = clock;
    this.lock = lock;
    this.replacer = new AtomicFileReplacer(path, ops);
    this.quarantine = new Quarantine(ops, clock);
  }

  /**
   * Opens the checkpoint at {@code path} (which need not exist yet) and locks it.
   *
   * @throws StateStoreException when the file is in use by another store or process, its
   *     directory cannot be created, or {@code path} is a directory
   */
  public static AtomicFileStateStore open(Path path) {
    return open(path, SystemFileOps.INSTANCE, Clock.systemUTC());
  }

  /**
   * Reads the checkpoint at {@code path} without opening a store: no lock is taken and nothing is
   * written or moved, so a status tool may read it while a satellite holds it. Saves replace the
   * file atomically, so this sees one whole version.
   *
   * @return empty when there is no checkpoint file
   * @throws StateStoreException naming the file when it cannot be read or fails its integrity
   *     check (a store opening it would set it aside)
   */
  public static Optional<Checkpoint> read(Path path) {
    Path file = path.toAbsolutePath().normalize();
    try {
      return Optional.of(CheckpointReader.read(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (CorruptCheckpointException e) {
      throw new StateStoreException("read checkpoint " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StateStoreException("read checkpoint " + file + ": " + e, e);
    }
  }

  /** Test seam: file operations that can fail on demand, and a fixed clock. */
  static AtomicFileStateStore open(Path path, FileOps ops, Clock clock) {
    Path file = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    if (file.getParent() == null) {
      throw new StateStoreException("open checkpoint " + file + ": not a file path");
    }
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new StateStoreException(
          "open checkpoint " + file + ": cannot create its directory: " + e, e);
    }
    if (Files.isDirectory(file)) {
      throw new StateStoreException("open checkpoint " + file + ": it is a directory");
    }
    OwnerLock lock = OwnerLock.acquire(
        file.resolveSibling(file.getFileName() + ".lock"), "checkpoint " + file, "store");
    try {
      AtomicFileStateStore store = new AtomicFileStateStore(file, ops, clock, lock);
      for (Path stale : store.replacer.removeStaleTempFiles()) {
        LOG.debug("Removed {}, left by a save interrupted before it completed", stale);
      }
      return store;
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** The checkpoint file. */
  public Path path() {
    return path;
  }

  /**
   * Reads the checkpoint file. Missing: empty. Untrustworthy: WARN, kept as {@code .corrupt-*},
   * empty.
   *
   * @throws StateStoreException when the file cannot be read (an I/O error, not bad content), or
   *     a bad file cannot be moved aside; or the store is closed
   */
  @Override
  public synchronized Optional<Checkpoint> load() {
    requireOpen();
    lastKnown = null;
    try {
      lastKnown = CheckpointReader.read(Files.readAllBytes(path));
      return Optional.of(lastKnown);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (CorruptCheckpointException e) {
      moveAside(e.getMessage());
      return Optional.empty();
    } catch (IOException e) {
      throw new StateStoreException("load checkpoint " + path + ": " + e, e);
    }
  }

  /**
   * Durably replaces the checkpoint file, unless {@code checkpoint} equals the last one saved or
   * loaded.
   *
   * @throws StateStoreException naming the file and the failed step (disk full, directory not
   *     writable, ...); unless the message says the final directory sync failed, the previous file
   *     is intact and no temp file remains; also when the store is closed
   */
  @Override
  public synchronized void save(Checkpoint checkpoint) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    requireOpen();
    if (checkpoint.equals(lastKnown)) {
      return;
    }
    lastKnown = null;
    replacer.replace(
        out ->
            CheckpointWriter.write(
                checkpoint, clock.instant().truncatedTo(ChronoUnit.MILLIS), out));
    lastKnown = checkpoint;
  }

  /**
   * Releases the lock; later calls to {@link #load} and {@link #save} fail. Idempotent.
   *
   * @throws StateStoreException when the lock file cannot be closed
   */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      lock.close();
    }
  }

  @Override
  public String toString() {
    return "AtomicFileStateStore[" + path + "]";
  }

  private void moveAside(String reason) {
    Path kept;
    try {
      kept = quarantine.moveAside(path);
    } catch (IOException e) {
      throw new StateStoreException("load checkpoint " + path + ": the file is unusable ("
          + reason + ") and could not be moved aside to keep it: " + e, e);
    }
    LOG.warn("Checkpoint {} is unusable: {}. Kept it as {}; starting from an empty checkpoint.",
        path, reason, kept.getFileName());
  }

  private void requireOpen() {
    if (closed) {
      throw new StateStoreException("checkpoint store " + path + " is closed");
    }
  }
}
