package dev.satellite.persistence.internal;

import dev.satellite.core.StateStoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of one checkpoint file, held for the life of a store.
 *
 * <p>Scheme: an OS file lock ({@link FileChannel#tryLock()}) on the sibling file {@code
 * <name>.lock}, which is created if missing and never deleted (deleting a lock file lets two owners
 * lock two different files of the same name). The OS lock keeps other processes out and is
 * released by the OS when the process dies, even by SIGKILL. Within one JVM, a registry of held
 * lock files is checked <em>before</em> the lock file is opened: on POSIX systems, closing any
 * channel to a file drops every lock the process holds on it, so a second store must not even open
 * the lock file while the first holds it.
 */
public final class CheckpointLock implements AutoCloseable {
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path lockFile;
  private final Path key;
  private final FileChannel channel;

  private CheckpointLock(Path lockFile, Path key, FileChannel channel) {
    this.lockFile = lockFile;
    this.key = key;
    this.channel = channel;
  }

  /**
   * Takes the lock of {@code checkpoint} (an absolute path whose directory exists), without
   * waiting.
   *
   * @throws StateStoreException when another store or process holds it, or it cannot be taken
   */
  public static CheckpointLock acquire(Path checkpoint) {
    Path lockFile = checkpoint.resolveSibling(checkpoint.getFileName() + ".lock");
    Path key;
    try {
      key = lockFile.getParent().toRealPath().resolve(lockFile.getFileName());
    } catch (IOException e) {
      throw new StateStoreException("lock checkpoint " + checkpoint + ": " + e, e);
    }
    if (!HELD_IN_THIS_JVM.add(key)) {
      throw inUse(checkpoint, lockFile, "another store in this process");
    }
    try {
      return new CheckpointLock(lockFile, key, lockChannel(checkpoint, lockFile));
    } catch (RuntimeException e) {
      HELD_IN_THIS_JVM.remove(key);
      throw e;
    }
  }

  private static FileChannel lockChannel(Path checkpoint, Path lockFile) {
    FileChannel channel;
    try {
      channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StateStoreException(
          "lock checkpoint " + checkpoint + ": cannot open lock file " + lockFile + ": " + e, e);
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return channel;
      }
      closeQuietly(channel);
      throw inUse(checkpoint, lockFile, "another process");
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw inUse(checkpoint, lockFile, "another store in this process");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StateStoreException(
          "lock checkpoint " + checkpoint + ": cannot lock " + lockFile + ": " + e, e);
    }
  }

  /**
   * Releases the lock (closing the channel releases the OS lock).
   *
   * @throws StateStoreException when the lock file cannot be closed; the lock is still released
   *     in this JVM
   */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new StateStoreException("release lock " + lockFile + ": " + e, e);
    } finally {
      HELD_IN_THIS_JVM.remove(key);
    }
  }

  private static StateStoreException inUse(Path checkpoint, Path lockFile, String holder) {
    return new StateStoreException("checkpoint " + checkpoint + " is in use by " + holder
        + " (lock file " + lockFile + " is held); close the other store first");
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing a channel that holds no lock; the caller reports the real failure.
    }
  }
}
