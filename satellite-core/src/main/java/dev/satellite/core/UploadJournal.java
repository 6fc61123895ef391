package dev.satellite.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Durable memory of large blob copies in progress, so that a process started after a crash
 * continues each one where it stopped instead of from byte zero.
 *
 * <p>A blob copy keeps two things here, both keyed by destination registry and blob digest:
 *
 * <ul>
 *   <li>a <b>spool file</b>: the bytes read from the source so far, appended as they arrive (before
 *       they are sent on), so that after a restart only the rest is fetched from the source. Its
 *       content is trusted only through the blob digest, which the copier checks over the whole
 *       blob before the upload is committed;
 *   <li>an {@link UploadRecord}: the destination's upload session after the last chunk it
 *       accepted, so that the copier can ask the registry where it stands and send only the rest.
 * </ul>
 *
 * <p>Implementations must make {@link #save} atomic (a crash leaves the previous or the new record,
 * never a torn one) and must not serve a record that fails an integrity check. Copies of different
 * blobs call concurrently; one blob is copied to one registry by one thread at a time.
 */
public interface UploadJournal {

  /**
   * The record of the upload of {@code digest} to {@code registry}, or empty when there is none.
   *
   * @throws StateStoreException when a record exists but cannot be trusted (unreadable, truncated,
   *     failing its checksum, or naming another registry or blob); the implementation has then set
   *     it aside, so the next call returns empty
   */
  Optional<UploadRecord> find(String registry, String digest);

  /**
   * Durably replaces the record of {@code record.registry()} and {@code record.digest()}.
   *
   * @throws StateStoreException when it could not be saved; the previous record is then intact
   */
  void save(UploadRecord record);

  /**
   * Forgets the upload of {@code digest} to {@code registry}: its record and its spool file.
   *
   * @throws StateStoreException when they could not be deleted
   */
  void remove(String registry, String digest);

  /**
   * The spool file of {@code digest} for {@code registry}; it may not exist yet. The copier creates,
   * appends to and truncates it; the journal deletes it in {@link #remove}.
   */
  Path spoolFile(String registry, String digest);
}
