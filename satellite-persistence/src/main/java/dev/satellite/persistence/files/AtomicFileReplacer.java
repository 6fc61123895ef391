package dev.satellite.persistence.files;

import dev.satellite.core.StateStoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Replaces one file atomically, so that a crash at any instant leaves either the old or the new
 * content under the file's name, never a mix:
 *
 * <ol>
 *   <li>create a uniquely named temp file {@code <name>.tmp-<16 hex digits>} in the same directory
 *       (same file system, so the rename below can be atomic);
 *   <li>write the content and {@code fsync} it ({@link FileChannel#force force(true)});
 *   <li>rename it over the target with {@code ATOMIC_MOVE} (there is no non-atomic fallback: a file
 *       system that cannot rename atomically is an error);
 *   <li>{@code fsync} the directory, so the rename itself survives a power loss.
 * </ol>
 *
 * If a step before the rename fails, the temp file is deleted and the target is untouched. Temp
 * files left behind by a crash are recognised by their exact name pattern and removed by {@link
 * #removeStaleTempFiles} (call it only while holding the target's lock).
 */
public final class AtomicFileReplacer {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int TEMP_NAME_ATTEMPTS = 8;

  private final Path target;
  private final Path directory;
  private final FileOps ops;
  private final Pattern tempName;

  /** Writes the new content to a buffered stream, which the replacer flushes (do not close it). */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  public AtomicFileReplacer(Path target, FileOps ops) {
    this.target = target.toAbsolutePath().normalize();
    this.directory = this.target.getParent();
    this.ops = ops;
    this.tempName = Pattern.compile(Pattern.quote(tempPrefix()) + "[0-9a-f]{16}");
  }

  /**
   * Atomically replaces the target with {@code content}.
   *
   * @throws StateStoreException naming the target, the step and the cause; when it is thrown
   *     before the rename, the target is unchanged and no temp file remains
   */
  public void replace(Content content) {
    TempFile temp = createTemp();
    try {
      try (FileChannel channel = temp.channel()) {
        OutputStream out = new ChannelOutputStream(ops, channel);
        content.writeTo(out);
        out.flush();
        ops.force(channel);
      } catch (IOException e) {
        throw failure("write and fsync temp file " + temp.path(), e);
      }
      try {
        ops.moveAtomically(temp.path(), target);
      } catch (AtomicMoveNotSupportedException e) {
        throw new StateStoreException("save " + target + ": the file system of " + directory
            + " cannot rename atomically; refusing to replace the file non-atomically", e);
      } catch (IOException e) {
        throw failure("rename " + temp.path().getFileName() + " to " + target.getFileName(), e);
      }
    } catch (RuntimeException | Error e) {
      deleteAfterFailure(temp.path(), e);
      throw e;
    }
    try {
      ops.syncDirectory(directory);
    } catch (IOException e) {
      throw failure("fsync directory " + directory + " after the rename (the new content is in"
          + " place but may not survive a power loss)", e);
    }
  }

  /**
   * Deletes temp files of this target left by an interrupted save; leaves every other file alone.
   *
   * @return the deleted files
   * @throws StateStoreException when the directory cannot be listed or a temp file not deleted
   */
  public List<Path> removeStaleTempFiles() {
    List<Path> removed = new ArrayList<>();
    DirectoryStream.Filter<Path> ours = p -> tempName.matcher(p.getFileName().toString()).matches();
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(directory, ours)) {
      for (Path file : stale) {
        Files.deleteIfExists(file);
        removed.add(file);
      }
    } catch (IOException e) {
      throw new StateStoreException(
          "open " + target + ": cannot remove temp files left by an interrupted save: " + e, e);
    }
    return removed;
  }

  private TempFile createTemp() {
    byte[] random = new byte[8];
    for (int attempt = 1; ; attempt++) {
      RANDOM.nextBytes(random);
      Path path = directory.resolve(tempPrefix() + HexFormat.of().formatHex(random));
      try {
        return new TempFile(path, ops.createNew(path));
      } catch (FileAlreadyExistsException e) {
        if (attempt == TEMP_NAME_ATTEMPTS) {
          throw failure("create a temp file (" + attempt + " names taken)", e);
        }
      } catch (IOException e) {
        throw failure("create temp file " + path, e);
      }
    }
  }

  private void deleteAfterFailure(Path temp, Throwable failure) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      failure.addSuppressed(failure("delete temp file " + temp + " of the failed save", e));
    }
  }

  private StateStoreException failure(String step, IOException cause) {
    return new StateStoreException("save " + target + ": " + step + " failed: " + cause, cause);
  }

  private String tempPrefix() {
    return target.getFileName() + ".tmp-";
  }

  private record TempFile(Path path, FileChannel channel) {}
}
