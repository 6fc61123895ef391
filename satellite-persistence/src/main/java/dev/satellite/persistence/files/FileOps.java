package dev.satellite.persistence.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The file-system operations an atomic file replace ({@link AtomicFileReplacer}) is made of. {@link
 * SystemFileOps} is the real implementation; a substitute that fails or counts proves what happens
 * when a step fails (disk full, rename refused, ...). Implementations must do each step fully or
 * throw: the replace protocol's guarantees rest on {@link #force} and {@link #syncDirectory}.
 */
public interface FileOps {

  /** Creates {@code path}, which must not exist, and opens it for writing. */
  FileChannel createNew(Path path) throws IOException;

  /** Writes all remaining bytes of {@code buffer}. */
  void write(FileChannel channel, ByteBuffer buffer) throws IOException;

  /** Flushes the file's content and metadata to the storage device. */
  void force(FileChannel channel) throws IOException;

  /** Renames {@code source} to {@code target} atomically, replacing {@code target}. */
  void moveAtomically(Path source, Path target) throws IOException;

  /** Renames {@code source} to {@code target}; fails if {@code target} exists. */
  void moveWithoutReplacing(Path source, Path target) throws IOException;

  /** Makes renames in {@code directory} durable. */
  void syncDirectory(Path directory) throws IOException;
}
