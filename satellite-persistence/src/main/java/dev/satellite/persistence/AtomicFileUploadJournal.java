package dev.satellite.persistence;

import dev.satellite.core.OciGrammar;
import dev.satellite.core.StateStoreException;
import dev.satellite.core.UploadJournal;
import dev.satellite.core.UploadRecord;
import dev.satellite.persistence.files.AtomicFileReplacer;
import dev.satellite.persistence.files.FileOps;
import dev.satellite.persistence.files.OwnerLock;
import dev.satellite.persistence.files.SystemFileOps;
import dev.satellite.persistence.internal.CanonicalHash;
import dev.satellite.persistence.internal.CorruptCheckpointException;
import dev.satellite.persistence.internal.Quarantine;
import dev.satellite.persistence.internal.UploadRecordCodec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link UploadJournal} in a directory of its own (for example next to the checkpoint file):
 * per blob being copied, a record file {@code <algorithm>-<hex>.<registry key>.upload} and a spool
 * file {@code <algorithm>-<hex>.<registry key>.spool}, where the registry key is 16 hex digits of
 * the SHA-256 of the registry's {@code host:port}.
 *
 * <p>Records are written like the checkpoint ({@link AtomicFileStateStore}): unique temp file,
 * {@code fsync}, atomic rename, directory {@code fsync}; each carries a SHA-256 over its values. A
 * record that is unreadable, truncated, fails its checksum or names another registry or blob than
 * its file name says is moved aside as {@code <name>.corrupt-<timestamp>} with a warning, and
 * {@link #find} reports it with a {@link StateStoreException}.
 *
 * <p>On {@link #open}: the directory is created and locked ({@code journal.lock}: one process at a
 * time), temp files of interrupted saves are removed, and records and spool files not touched for
 * longer than the maximum age (default {@value #DEFAULT_MAX_AGE_DAYS} days: registries discard
 * upload sessions after a week or less) are deleted.
 *
 * <p>Thread-safe: copies of different blobs use different files.
 */
public final class AtomicFileUploadJournal implements UploadJournal, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicFileUploadJournal.class);
  static final int DEFAULT_MAX_AGE_DAYS = 7;
  private static final String RECORD = ".upload";
  private static final String SPOOL = ".spool";
  private static final Pattern TEMP = Pattern.compile(".+\\" + RECORD + "\\.tmp-[0-9a-f]{16}");

  private final Path directory;
  private final FileOps ops;
  private final Quarantine quarantine;
  private final OwnerLock lock;

  private AtomicFileUploadJournal(Path directory, FileOps ops, Clock clock, OwnerLock lock) {
    this.directory = directory;
    this.ops = ops;
    this.quarantine = new Quarantine(ops, clock);
    this.lock = lock;
  }

  /**
   * Opens (creating it when missing) the journal in {@code directory}, with the default maximum
   * age.
   *
   * @throws StateStoreException when the directory cannot be created, listed or locked (another
   *     process uses it)
   */
  public static AtomicFileUploadJournal open(Path directory) {
    return open(directory, Duration.ofDays(DEFAULT_MAX_AGE_DAYS), Clock.systemUTC());
  }

  /**
   * Opens the journal in {@code directory}; entries untouched for longer than {@code maxAge} are
   * deleted.
   *
   * @throws StateStoreException as {@link #open(Path)} does
   */
  public static AtomicFileUploadJournal open(Path directory, Duration maxAge, Clock clock) {
    return open(directory, maxAge, clock, SystemFileOps.INSTANCE);
  }

  static AtomicFileUploadJournal open(Path directory, Duration maxAge, Clock clock, FileOps ops) {
    Objects.requireNonNull(maxAge, "maxAge");
    Path dir = directory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StateStoreException("open upload journal " + dir + ": cannot create it: " + e, e);
    }
    OwnerLock lock =
        OwnerLock.acquire(dir.resolve("journal.lock"), "upload journal " + dir, "journal");
    AtomicFileUploadJournal journal =
        new AtomicFileUploadJournal(dir, ops, clock, lock);
    try {
      journal.cleanUp(clock.instant().minus(maxAge));
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    return journal;
  }

  @Override
  public Optional<UploadRecord> find(String registry, String digest) {
    Path file = recordFile(registry, digest);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StateStoreException("read upload record " + file + ": " + e, e);
    }
    try {
      UploadRecord record = UploadRecordCodec.decode(bytes);
      if (!record.registry().equals(registry) || !record.digest().equals(digest)) {
        throw new CorruptCheckpointException("it records " + record.digest() + " for "
            + record.registry() + ", not " + digest + " for " + registry);
      }
      return Optional.of(record);
    } catch (CorruptCheckpointException e) {
      throw untrusted(file, e.getMessage());
    }
  }

  @Override
  public void save(UploadRecord record) {
    Path file = recordFile(record.registry(), record.digest());
    new AtomicFileReplacer(file, ops).replace(out -> out.write(UploadRecordCodec.encode(record)));
  }

  @Override
  public void remove(String registry, String digest) {
    for (Path file : new Path[] {recordFile(registry, digest), spoolFile(registry, digest)}) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new StateStoreException("remove upload journal entry " + file + ": " + e, e);
      }
    }
  }

  @Override
  public Path spoolFile(String registry, String digest) {
    return directory.resolve(baseName(registry, digest) + SPOOL);
  }

  /** The directory this journal lives in. */
  public Path directory() {
    return directory;
  }

  /** Releases the directory's lock. */
  @Override
  public void close() {
    lock.close();
  }

  @Override
  public String toString() {
    return "AtomicFileUploadJournal[" + directory + "]";
  }

  private Path recordFile(String registry, String digest) {
    return directory.resolve(baseName(registry, digest) + RECORD);
  }

  private static String baseName(String registry, String digest) {
    Objects.requireNonNull(registry, "registry");
    OciGrammar.requireDigest(digest);
    String registryKey = new CanonicalHash().string(registry).hex().substring(0, 16);
    return digest.replace(':', '-') + "." + registryKey;
  }

  private StateStoreException untrusted(Path file, String reason) {
    String where;
    try {
      where = "moved aside as " + quarantine.moveAside(file).getFileName();
    } catch (IOException e) {
      where = "could not be moved aside (" + e + ")";
    }
    String message = "upload record " + file + " cannot be trusted (" + reason + "); " + where;
    LOG.warn("{}; that blob's copy starts over", message);
    return new StateStoreException(message);
  }

  /** Removes temp files of interrupted saves, and records and spools older than {@code oldest}. */
  private void cleanUp(Instant oldest) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (TEMP.matcher(name).matches()) {
          Files.deleteIfExists(file);
        } else if ((name.endsWith(RECORD) || name.endsWith(SPOOL))
            && Files.getLastModifiedTime(file).toInstant().isBefore(oldest)) {
          LOG.debug("upload journal {}: removing {}, untouched since before {}", directory, name,
              oldest);
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      throw new StateStoreException("open upload journal " + directory + ": clean-up failed: " + e,
          e);
    }
  }
}
