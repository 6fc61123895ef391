package dev.satellite.persistence;

import dev.satellite.core.StateStoreException;
import dev.satellite.persistence.files.AtomicFileReplacer;
import dev.satellite.persistence.files.SystemFileOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A small file that holds a secret (credentials handed out by a server, say), replaced atomically
 * and readable by its owner only.
 *
 * <p>{@link #write} replaces the file the way the checkpoint is saved: a uniquely named temp file
 * in the same directory, created with mode {@code 0600} (where the file system has POSIX modes) so
 * the content is never readable by others, {@code fsync}ed, renamed over the file with {@code
 * ATOMIC_MOVE}, then the directory is {@code fsync}ed. A crash at any instant leaves the old
 * content or the new one, never a mix. The content is opaque here: integrity checks of its own
 * belong to the caller's format. One writer at a time: the owner of the directory (a satellite
 * holds its state directory's lock).
 */
public final class OwnerOnlyFile {
  private final Path path;
  private final AtomicFileReplacer replacer;

  private OwnerOnlyFile(Path path) {
    this.path = path;
    this.replacer = new AtomicFileReplacer(path, SystemFileOps.OWNER_ONLY);
  }

  /** The file at {@code path}, which need not exist; its directory must. */
  public static OwnerOnlyFile at(Path path) {
    return new OwnerOnlyFile(Objects.requireNonNull(path, "path").toAbsolutePath().normalize());
  }

  public Path path() {
    return path;
  }

  /**
   * The file's content; empty when it does not exist.
   *
   * @throws StateStoreException naming the file when it exists but cannot be read
   */
  public Optional<byte[]> read() {
    try {
      return Optional.of(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StateStoreException("read " + path + ": " + e, e);
    }
  }

  /**
   * Replaces the file's content atomically; temp files an interrupted write left are removed first.
   *
   * @throws StateStoreException naming the file and the step that failed; the old content is then
   *     untouched
   */
  public void write(byte[] content) {
    Objects.requireNonNull(content, "content");
    replacer.removeStaleTempFiles();
    replacer.replace(out -> out.write(content));
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
