package dev.satellite.agent.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file that lines are appended to, each one written whole and forced to the device before
 * {@link #append} returns, rotated by size: when a line would take the file past the size limit,
 * {@code <name>} becomes {@code <name>.1}, {@code <name>.1} becomes {@code <name>.2} and so on,
 * the oldest beyond the file cap is deleted, and a new {@code <name>} is started. A line longer
 * than the limit is still written whole, alone in its file. New files are created {@code
 * rw-------}. Not thread-safe: the caller serializes.
 */
public final class RotatingFile implements AutoCloseable {
  private final Path file;
  private final long maxBytes;
  private final int maxFiles;
  private FileChannel channel;
  private long size;

  /**
   * @param maxBytes the size a file may reach
   * @param maxFiles how many files are kept, the current one included (at least 1)
   * @throws IOException when the file cannot be opened for appending
   */
  public RotatingFile(Path file, long maxBytes, int maxFiles) throws IOException {
    if (maxBytes < 1 || maxFiles < 1) {
      throw new IllegalArgumentException("a rotated file needs a size limit and a file cap of at"
          + " least 1 (got " + maxBytes + " bytes, " + maxFiles + " files)");
    }
    this.file = file.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    open();
  }

  /** Appends {@code line} (which ends with a newline), rotating first when it would not fit. */
  public void append(byte[] line) throws IOException {
    if (size > 0 && size + line.length > maxBytes) {
      rotate();
    }
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.force(false);
    size += line.length;
  }

  private void open() throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    if (!Files.exists(file)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
  }

  private void rotate() throws IOException {
    channel.close();
    if (maxFiles == 1) {
      Files.delete(file);
    } else {
      Files.deleteIfExists(numbered(maxFiles - 1));
      for (int i = maxFiles - 2; i >= 1; i--) {
        if (Files.exists(numbered(i))) {
          Files.move(numbered(i), numbered(i + 1), StandardCopyOption.ATOMIC_MOVE);
        }
      }
      Files.move(file, numbered(1), StandardCopyOption.ATOMIC_MOVE);
    }
    open();
  }

  /** {@code <name>.<n>}, or the file itself for 0. */
  public Path numbered(int n) {
    return n == 0 ? file : file.resolveSibling(file.getFileName() + "." + n);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
