package dev.satellite.registry.internal.copy;

import dev.satellite.core.StateStoreException;
import dev.satellite.core.UploadJournal;
import dev.satellite.core.UploadRecord;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.DigestMismatchException;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.blob.UploadPosition;
import dev.satellite.registry.internal.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transfers one large blob so that an interruption (crash, kill, lost connection) costs only what
 * had not been read yet, across process restarts:
 *
 * <ol>
 *   <li>Bytes read from the source are appended to the blob's spool file ({@link UploadJournal})
 *       before they are sent on, so a later attempt fetches only the rest from the source ({@code
 *       Range: bytes=<spooled>-}).
 *   <li>The upload goes in {@code PATCH} chunks; after each chunk the destination accepted, the
 *       session's position is recorded in the journal.
 *   <li>A later attempt with a record asks the destination where that session stands ({@code GET}
 *       on its location). If it still knows it, the upload continues at its offset (the spool
 *       holding at least that many bytes); otherwise a new session starts at byte 0, fed from the
 *       spool first. CNCF Distribution, for one, refuses a session whose last chunk was cut off
 *       mid-way (the usual case after a kill), so the spool is what saves the source's bytes.
 * </ol>
 *
 * <p>The blob's digest is checked over all its bytes before the committing {@code PUT}: the spool's
 * and the source's ({@link SpooledSource}); the destination checks it again on commit. Every
 * fallback is safe and said in the result: a record that cannot be trusted, a session the
 * destination no longer knows or refuses to continue (404, 416, a rejected commit), a source that
 * refuses the range (the spool is dropped) or ignores it (its start is read again), a spool whose
 * bytes do not hash to the digest (dropped, copy started over once from byte 0). These fallbacks
 * recover from local state that cannot be used, each at most once per transfer; they are not
 * failed attempts of the blob ({@code Attempts}), which count what the registries failed.
 */
final class ResumableTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableTransfer.class);

  private final ResumeSettings settings;
  private final BlobSettings blobSettings;

  ResumableTransfer(ResumeSettings settings, BlobSettings blobSettings) {
    this.settings = settings;
    this.blobSettings = blobSettings;
  }

  /** What a transfer took from the source, and why parts of it had to start over. */
  record Outcome(long fetchedFromSource, long resumed, List<String> restarts) {}

  boolean appliesTo(Descriptor blob) {
    return blob.size() >= settings.threshold();
  }

  Outcome transfer(CopyJob job, Descriptor blob) {
    UploadJournal journal = settings.journal();
    String registry = job.destination().registry();
    String digest = blob.digest().toString();
    List<String> restarts = new ArrayList<>();
    Optional<UploadRecord> record = Optional.empty();
    try {
      record = journal.find(registry, digest);
    } catch (StateStoreException e) {
      restarts.add("its journal entry could not be trusted (" + e.getMessage()
          + "); started over from byte 0");
      forget(job, blob);
    }
    Path spool = journal.spoolFile(registry, digest);
    Optional<UploadPosition> resumeAt =
        record.flatMap(r -> sessionToContinue(job, blob, r, spoolSize(spool), restarts));
    long fetched = 0;
    boolean spoolDropped = false;
    while (true) {
      Attempt attempt = new Attempt(job, blob, spool, restarts);
      try {
        attempt.run(resumeAt);
        fetched += attempt.fetched;
        journal.remove(registry, digest);
        long resumed = Math.max(0, blob.size() - fetched);
        restarts.replaceAll(reason -> "blob " + digest + " to " + job.to() + ": " + reason);
        restarts.forEach(LOG::warn);
        return new Outcome(fetched, resumed, List.copyOf(restarts));
      } catch (RegistryException e) {
        fetched += attempt.fetched;
        if (attempt.sourceRefusedRange && !spoolDropped) {
          restarts.add("the source refused the range request (" + e.getMessage()
              + "); the spool was dropped and the blob fetched again from byte 0");
          forget(job, blob);
          spoolDropped = true;
        } else if (resumeAt.isPresent() && !attempt.sourceFailed && !Failures.mayPass(e)) {
          restarts.add("the destination refused to continue the recorded upload session ("
              + e.getMessage() + "); uploaded again from byte 0, from the spool");
        } else {
          throw e;
        }
      } catch (DigestMismatchException e) {
        fetched += attempt.fetched;
        if (spoolDropped || attempt.spooled == 0) {
          forget(job, blob);
          throw e;
        }
        restarts.add("the spooled and fetched bytes did not hash to the digest; the spool was"
            + " dropped and the blob fetched again from byte 0");
        forget(job, blob);
        spoolDropped = true;
      }
      resumeAt = Optional.empty();
    }
  }

  /**
   * The recorded session to continue, when the destination still knows it and it is usable;
   * otherwise empty, with the reason added to {@code restarts}.
   */
  private Optional<UploadPosition> sessionToContinue(
      CopyJob job, Descriptor blob, UploadRecord record, long spooled, List<String> restarts) {
    String reason;
    if (record.size() != blob.size()) {
      reason = "the recorded upload is of " + record.size() + " bytes, not " + blob.size();
    } else if (!record.repository().equals(job.destinationRepository())) {
      reason = "the recorded upload session belongs to repository " + record.repository();
    } else {
      try {
        Optional<UploadPosition> status =
            settings.endpoints().apply(job.destination())
                .uploadStatus(job.destinationRepository(), blob.digest(), record.location());
        if (status.isEmpty()) {
          reason = "the destination no longer knows the recorded upload session (it expired, or"
              + " its last chunk was cut off)";
        } else if (status.get().offset() > spooled) {
          reason = "the destination holds " + status.get().offset() + " bytes of the session but"
              + " the spool only " + spooled;
        } else {
          LOG.debug("{} to {}: continuing the recorded upload at byte {} of {} ({} spooled)",
              blob.digest(), job.to(), status.get().offset(), blob.size(), spooled);
          return status;
        }
      } catch (IllegalArgumentException | RegistryException e) {
        reason = "the recorded upload session could not be checked (" + e.getMessage() + ")";
      }
    }
    restarts.add(reason + "; uploaded again from byte 0, from the spool");
    return Optional.empty();
  }

  /** One try at the transfer; records what it fetched and where a failure came from. */
  private final class Attempt {
    private final CopyJob job;
    private final Descriptor blob;
    private final Path spool;
    long fetched;
    long spooled;
    boolean sourceFailed;
    boolean sourceRefusedRange;
    private final List<String> restarts;

    Attempt(CopyJob job, Descriptor blob, Path spool, List<String> restarts) {
      this.job = job;
      this.blob = blob;
      this.spool = spool;
      this.restarts = restarts;
    }

    void run(Optional<UploadPosition> resumeAt) {
      long start = resumeAt.map(UploadPosition::offset).orElse(0L);
      try (SpooledSource content =
          SpooledSource.open(spool, blob.digest(), blob.size(), start, this::openSource)) {
        spooled = content.spooled();
        try {
          ProgressInputStream counted = new ProgressInputStream(content, job.progress());
          settings.endpoints().apply(job.destination())
              .pushBlobInChunks(job.destinationRepository(), blob.digest(), blob.size(), counted,
                  settings.chunkSize(), resumeAt, this::record);
        } finally {
          fetched = content.fetchedFromSource();
          if (content.sourceIgnoredRange()) {
            restarts.add("the source ignored the range request and sent the blob from byte 0;"
                + " the " + content.spooled() + " bytes already spooled were fetched again");
          }
        }
      } catch (IOException e) {
        throw new RegistryException("copy blob " + blob.digest() + " from " + job.from() + " to "
            + job.to(), "spool " + spool + ": " + e, e);
      }
    }

    private InputStream openSource(long offset, MessageDigest prefixHash) {
      try {
        InputStream source = settings.endpoints().apply(job.source())
            .openBlob(job.sourceRepository(), blob.digest(), offset, prefixHash);
        return blobSettings.bandwidth().map(limit -> limit.throttle(source)).orElse(source);
      } catch (RegistryException e) {
        sourceFailed = true;
        sourceRefusedRange = e.statusCode().orElse(0) == 416;
        throw e;
      }
    }

    /**
     * After each accepted chunk: the session's position to the journal, then the gate, which may
     * stop the transfer here (a closed sync window) with the session left open for later. The spool is not forced
     * to disk: a process crash keeps what was written to it, and after a power loss a spool with
     * lost bytes fails the digest check and is dropped. Forcing it each chunk doubled the wall
     * time of a 512 MiB copy here.
     */
    private void record(UploadPosition position) {
      try {
        settings.journal().save(new UploadRecord(job.destination().registry(),
            job.destinationRepository(), blob.digest().toString(), blob.size(),
            position.location(), position.offset(), Instant.now()));
      } catch (StateStoreException e) {
        LOG.warn("{} to {}: could not record the upload's progress ({}); an interruption now"
            + " costs more", blob.digest(), job.to(), e.getMessage());
      }
      blobSettings.gate().afterChunk(blob, position.offset());
    }
  }

  private static long spoolSize(Path spool) {
    try {
      return Files.size(spool);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Drops the blob's journal entry: its record and its spool. */
  private void forget(CopyJob job, Descriptor blob) {
    try {
      settings.journal().remove(job.destination().registry(), blob.digest().toString());
    } catch (StateStoreException e) {
      throw new RegistryException("copy blob " + blob.digest() + " from " + job.from() + " to "
          + job.to(), "cannot drop its spool: " + e.getMessage(), e);
    }
  }
}
