package dev.satellite.persistence.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * {@link FileOps} on the default file system.
 *
 * <p>Directory sync: on Linux, macOS and other POSIX systems the directory is opened read-only and
 * {@link FileChannel#force forced} (an {@code fsync} of the directory), which makes a preceding
 * rename durable; a failure there is a real error and is reported. Windows cannot open a directory
 * as a file at all, so there the sync is skipped: NTFS journals the rename's metadata itself. This
 * is decided once, from {@code os.name}, not by swallowing errors.
 */
public final class SystemFileOps implements FileOps {
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  public static final SystemFileOps INSTANCE = new SystemFileOps(WINDOWS, false);

  /**
   * As {@link #INSTANCE}, but new files are readable and writable by their owner only (mode {@code
   * 0600}) from the moment they exist, where the file system has POSIX modes: for files holding
   * secrets, which must never be readable by others, not even before a rename.
   */
  public static final SystemFileOps OWNER_ONLY = new SystemFileOps(WINDOWS, true);

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_READ_WRITE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private final boolean skipDirectorySync;
  private final boolean ownerOnly;

  private SystemFileOps(boolean skipDirectorySync, boolean ownerOnly) {
    this.skipDirectorySync = skipDirectorySync;
    this.ownerOnly = ownerOnly;
  }

  @Override
  public FileChannel createNew(Path path) throws IOException {
    if (ownerOnly && path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          OWNER_READ_WRITE);
    }
    return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  @Override
  public void write(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  @Override
  public void force(FileChannel channel) throws IOException {
    channel.force(true);
  }

  @Override
  public void moveAtomically(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void moveWithoutReplacing(Path source, Path target) throws IOException {
    Files.move(source, target);
  }

  @Override
  public void syncDirectory(Path directory) throws IOException {
    if (skipDirectorySync) {
      return;
    }
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
