package dev.satellite.persistence.files;

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
 * Exclusive ownership of one checkpoint file or upload journal, held for the life of its store or
 * journal.
 *
 * <p>Scheme: an OS file lock ({@link FileChannel#tryLock()}) on a lock file, which is created if
 * missing and never deleted (deleting a lock file lets two owners lock two different files of the
 * same name). The OS lock keeps other processes out and is released by the OS when the process
 * dies, even by SIGKILL. Within one JVM, a registry of held lock files is checked <em>before</em>
 * the lock file is opened: on POSIX systems, closing any channel to a file drops every lock the
 * process holds on it, so a second owner must not even open the lock file while the first holds
 * it.
 */
public final class OwnerLock implements AutoCloseable {
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path lockFile;
  private final Path key;
  private final FileChannel channel;

  private OwnerLock(Path lockFile, Path key, FileChannel channel) {
    this.lockFile = lockFile;
    this.key = key;
    this.channel = channel;
  }

  /**
   * Takes {@code lockFile} (in a directory that exists) for {@code owned}, without waiting.
   *
   * @param owned what the lock guards, as messages name it: {@code "checkpoint /var/sat.json"}
   * @param owner what holds it: {@code "store"} or {@code "journal"}
   * @throws StateStoreException when another owner or process holds it, or it cannot be taken
   */
  public static OwnerLock acquire(Path lockFile, String owned, String owner) {
    Path key;
    try {
      key = lockFile.getParent().toRealPath().resolve(lockFile.getFileName());
    } catch (IOException e) {
      throw new StateStoreException("lock " + owned + ": " + e, e);
    }
    if (!HELD_IN_THIS_JVM.add(key)) {
      throw inUse(lockFile, owned, owner, "another " + owner + " in this process");
    }
    try {
      return new OwnerLock(lockFile, key, lockChannel(lockFile, owned, owner));
    } catch (RuntimeException e) {
      HELD_IN_THIS_JVM.remove(key);
      throw e;
    }
  }

  private static FileChannel lockChannel(Path lockFile, String owned, String owner) {
    FileChannel channel;
    try {
      channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StateStoreException(
          "lock " + owned + ": cannot open lock file " + lockFile + ": " + e, e);
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return channel;
      }
      closeQuietly(channel);
      throw inUse(lockFile, owned, owner, "another process");
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw inUse(lockFile, owned, owner, "another " + owner + " in this process");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StateStoreException(
          "lock " + owned + ": cannot lock " + lockFile + ": " + e, e);
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

  private static StateStoreException inUse(
      Path lockFile, String owned, String owner, String holder) {
    return new StateStoreException(owned + " is in use by " + holder + " (lock file " + lockFile
        + " is held); close the other " + owner + " first");
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing a channel that holds no lock; the caller reports the real failure.
    }
  }
}
