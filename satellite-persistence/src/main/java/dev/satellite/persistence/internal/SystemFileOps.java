package dev.satellite.persistence.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

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
  public static final SystemFileOps INSTANCE =
      new SystemFileOps(
          System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"));

  private final boolean skipDirectorySync;

  private SystemFileOps(boolean skipDirectorySync) {
    this.skipDirectorySync = skipDirectorySync;
  }

  @Override
  public FileChannel createNew(Path path) throws IOException {
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
