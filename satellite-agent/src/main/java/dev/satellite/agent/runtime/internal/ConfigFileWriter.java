package dev.satellite.agent.runtime.internal;

import dev.satellite.agent.runtime.RuntimeMirrorException;
import dev.satellite.core.SatelliteException;
import dev.satellite.persistence.files.AtomicFileReplacer;
import dev.satellite.persistence.files.FileOps;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes a {@link PlannedFile} so that the runtime never reads a half-written file and a bad result
 * never stays in place:
 *
 * <ol>
 *   <li>the file must still hold the bytes the merge was computed from (else it is left alone);
 *   <li>the previous version is saved beside it as {@code <name>.satellite.bak}, atomically;
 *   <li>the new content replaces the file atomically (unique temp file in the same directory,
 *       {@code fsync}, rename, {@code fsync} of the directory: {@link AtomicFileReplacer});
 *   <li>the file is read back and checked (it parses, and holds exactly the merged tree).
 * </ol>
 *
 * If step 3 or 4 fails, the previous version is put back (a file that did not exist is removed)
 * and the error names the file. Temp and backup files keep the file's permission bits, since
 * runtimes' files may hold registry credentials; a file that holds them ({@link
 * PlannedFile#holdsSecrets()}) loses its group and other bits, and is created {@code rw-------}.
 */
public final class ConfigFileWriter {
  /** Appended to a file's name for the copy of its previous version. */
  public static final String BACKUP_SUFFIX = ".satellite.bak";

  private final FileOps ops;

  /** @param ops the file-system steps (tests pass failing ones) */
  public ConfigFileWriter(FileOps ops) {
    this.ops = ops;
  }

  /** The backup of {@code file}'s previous version. */
  public static Path backupOf(Path file) {
    return file.resolveSibling(file.getFileName() + BACKUP_SUFFIX);
  }

  /**
   * Writes {@code file.after()} to {@code file.path()}.
   *
   * @throws RuntimeMirrorException naming the file and whether it was left untouched or restored
   */
  public void write(PlannedFile file) {
    Path path = file.path();
    requireUnchangedSinceRead(file);
    Set<PosixFilePermission> mode = permissionsOf(path, file.holdsSecrets());
    FileOps keepingMode = new PermissionKeepingFileOps(ops, mode);
    createParentDirectories(path);
    Path backup = backupOf(path);
    if (file.before() != null) {
      try {
        new AtomicFileReplacer(backup, keepingMode).replace(out -> out.write(file.before()));
      } catch (SatelliteException e) {
        throw new RuntimeMirrorException(path + ": could not save its previous version as "
            + backup.getFileName() + ", left untouched: " + e.getMessage(), e);
      }
    }
    try {
      AtomicFileReplacer replacer = new AtomicFileReplacer(path, keepingMode);
      replacer.removeStaleTempFiles();
      replacer.replace(out -> out.write(file.after()));
      byte[] written = Files.readAllBytes(path);
      if (!Arrays.equals(written, file.after())) {
        throw new RuntimeMirrorException("reading it back gave other bytes than were written");
      }
      file.check().verify(written);
    } catch (SatelliteException | IOException e) {
      throw restore(file, keepingMode, e);
    }
  }

  private RuntimeMirrorException restore(PlannedFile file, FileOps keepingMode, Exception cause) {
    Path path = file.path();
    String what = path + ": writing the mirror configuration failed (" + cause.getMessage() + ")";
    try {
      if (file.before() == null) {
        Files.deleteIfExists(path);
        return new RuntimeMirrorException(what + "; the new file was removed", cause);
      }
      putBack(file, keepingMode);
      return new RuntimeMirrorException(what + "; the previous version was restored (also kept in "
          + backupOf(path).getFileName() + ")", cause);
    } catch (SatelliteException | IOException e) {
      RuntimeMirrorException failure = new RuntimeMirrorException(what + "; restoring it failed"
          + " too (" + e.getMessage() + "): the previous version is in " + backupOf(path), cause);
      failure.addSuppressed(e);
      return failure;
    }
  }

  /**
   * Puts the previous version of a file written by {@link #write} back, atomically; a file that
   * did not exist is removed.
   *
   * @throws RuntimeMirrorException naming the file and where its previous version is kept
   */
  public void restorePrevious(PlannedFile file) {
    Path path = file.path();
    try {
      if (file.before() == null) {
        Files.deleteIfExists(path);
        ops.syncDirectory(path.getParent());
      } else {
        putBack(file, new PermissionKeepingFileOps(ops, permissionsOf(path, file.holdsSecrets())));
      }
    } catch (SatelliteException | IOException e) {
      throw new RuntimeMirrorException(path + ": could not put its previous version back ("
          + e.getMessage() + "); it is kept in " + backupOf(path), e);
    }
  }

  private static void putBack(PlannedFile file, FileOps keepingMode) {
    new AtomicFileReplacer(file.path(), keepingMode).replace(out -> out.write(file.before()));
  }

  private static void requireUnchangedSinceRead(PlannedFile file) {
    byte[] now;
    try {
      now = Files.readAllBytes(file.path());
    } catch (NoSuchFileException e) {
      now = null;
    } catch (IOException e) {
      throw new RuntimeMirrorException(file.path() + ": cannot read it again before writing,"
          + " left untouched: " + e, e);
    }
    if (!Arrays.equals(now, file.before())) {
      throw new RuntimeMirrorException(file.path() + ": changed by someone else since it was read,"
          + " left untouched (run again)");
    }
  }

  /**
   * The permission bits new files get: the file's own; for a file holding secrets, without any
   * group or other bit ({@code rw-------} for a new one). Null: the file system's default.
   */
  private static Set<PosixFilePermission> permissionsOf(Path path, boolean secret) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return null;
    }
    if (!Files.exists(path)) {
      return secret ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
          : null;
    }
    try {
      Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
      mode.addAll(Files.getPosixFilePermissions(path));
      if (secret) {
        mode.removeIf(bit -> !bit.name().startsWith("OWNER_"));
      }
      return mode;
    } catch (IOException e) {
      throw new RuntimeMirrorException(path + ": cannot read its permissions, left untouched: " + e,
          e);
    }
  }

  /** Creates missing parent directories, then makes each new directory entry durable. */
  private void createParentDirectories(Path path) {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path dir = path.getParent(); dir != null && !Files.isDirectory(dir);
        dir = dir.getParent()) {
      missing.push(dir);
    }
    for (Path dir : missing) {
      try {
        Files.createDirectory(dir);
        ops.syncDirectory(dir.getParent());
      } catch (IOException e) {
        throw new RuntimeMirrorException(path + ": cannot create directory " + dir + ": " + e, e);
      }
    }
  }

  /** Gives each new file (temp or backup) the permission bits of the file it replaces. */
  private record PermissionKeepingFileOps(FileOps delegate, Set<PosixFilePermission> mode)
      implements FileOps {
    @Override
    public FileChannel createNew(Path path) throws IOException {
      FileChannel channel = delegate.createNew(path);
      if (mode != null) {
        try {
          Files.setPosixFilePermissions(path, mode);
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
      }
      return channel;
    }

    @Override
    public void write(FileChannel channel, java.nio.ByteBuffer buffer) throws IOException {
      delegate.write(channel, buffer);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
      delegate.force(channel);
    }

    @Override
    public void moveAtomically(Path source, Path target) throws IOException {
      delegate.moveAtomically(source, target);
    }

    @Override
    public void moveWithoutReplacing(Path source, Path target) throws IOException {
      delegate.moveWithoutReplacing(source, target);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
      delegate.syncDirectory(directory);
    }
  }
}
