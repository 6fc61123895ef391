package dev.satellite.agent.internal.support;

import dev.satellite.core.SatelliteException;
import dev.satellite.persistence.files.OwnerLock;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directory that holds every file one satellite keeps (checkpoint, upload journal, and what
 * later features add), owned by exactly one satellite at a time.
 *
 * <p>Opening creates the directory when missing, with mode {@code 0700} where the file system has
 * POSIX modes (an existing directory's mode is left as the operator set it), then takes the lock
 * file {@code satellite.lock} in it. The lock is an OS file lock, released by the OS when the
 * process dies, so a crash never leaves the directory locked; a second satellite on the same
 * directory, in this process or another, fails at once naming the directory.
 */
public final class StateDirectory implements AutoCloseable {
  /** The lock file's name inside the directory. */
  public static final String LOCK_FILE = "satellite.lock";
  /** The checkpoint's file name inside the directory. */
  public static final String CHECKPOINT_FILE = "checkpoint.json";
  /** The upload journal's directory name inside the directory. */
  public static final String UPLOAD_JOURNAL_DIRECTORY = "uploads";
  /** The running total of upstream bytes, inside the directory. */
  public static final String UPSTREAM_BYTES_FILE = "upstream-bytes.json";
  /** The last pass's report, inside the directory. */
  public static final String LAST_PASS_FILE = "last-pass.json";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private final Path path;
  private final OwnerLock lock;

  private StateDirectory(Path path, OwnerLock lock) {
    this.path = path;
    this.lock = lock;
  }

  /**
   * Creates (when missing) and takes {@code directory}.
   *
   * @throws SatelliteException when the directory cannot be created, or another satellite holds it
   */
  public static StateDirectory open(Path directory) {
    Path path = directory.toAbsolutePath().normalize();
    create(path);
    return new StateDirectory(
        path, OwnerLock.acquire(path.resolve(LOCK_FILE), "state directory " + path, "satellite"));
  }

  private static void create(Path path) {
    if (Files.isDirectory(path)) {
      return;
    }
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        // createDirectories applies the umask; the directory holds credentials later on
        Files.setPosixFilePermissions(path, OWNER_ONLY);
      } else {
        Files.createDirectories(path);
      }
    } catch (IOException e) {
      throw new SatelliteException("create state directory " + path + ": " + e, e);
    }
  }

  public Path path() {
    return path;
  }

  /** A file or directory of this satellite's, by name. */
  public Path resolve(String name) {
    return path.resolve(name);
  }

  @Override
  public void close() {
    lock.close();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
