package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.core.StateStoreException;
import dev.satellite.core.UploadRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link AtomicFileUploadJournal} keeps, where, and what it gives back. */
class UploadJournalRoundTripTest {
  private static final String REGISTRY = "edge.example:5000";
  private static final String OTHER_REGISTRY = "127.0.0.1:5001";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String OTHER_DIGEST = "sha256:" + "cd".repeat(32);
  private static final String SHA512_DIGEST = "sha512:" + "ef".repeat(64);

  @TempDir Path dir;
  private AtomicFileUploadJournal journal;

  @BeforeEach
  void openJournal() {
    journal = AtomicFileUploadJournal.open(dir);
  }

  @AfterEach
  void closeJournal() {
    journal.close();
  }

  @Test
  void saveThatFailsBeforeTheRenameLeavesThePreviousRecordIntact() {
    journal.close();
    FaultInjectingFileOps ops = new FaultInjectingFileOps();
    journal = AtomicFileUploadJournal.open(dir, Duration.ofDays(7),
        Clock.systemUTC(), ops);
    UploadRecord first = record(REGISTRY, DIGEST, 262_144);
    journal.save(first);
    ops.failAt(FaultInjectingFileOps.Step.FORCE, () -> new IOException("disk full"));

    assertThatThrownBy(() -> journal.save(record(REGISTRY, DIGEST, 524_288)))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("disk full");
    assertThat(journal.find(REGISTRY, DIGEST)).contains(first);
  }

  private static UploadRecord record(String registry, String digest, long uploaded) {
    return new UploadRecord(registry, "library/app", digest, 1_048_576,
        "http://" + registry + "/v2/library/app/blobs/uploads/5f2e?_state=c2lnbmVk", uploaded,
        Instant.parse("2026-11-20T09:59:30.123456789Z"));
  }

  /** The record file sits next to the spool file: same name, {@code .upload} instead. */
  private Path recordFile(String registry, String digest) {
    Path spool = journal.spoolFile(registry, digest);
    String name = spool.getFileName().toString();
    return spool.resolveSibling(name.substring(0, name.length() - ".spool".length()) + ".upload");
  }

  private List<String> fileNames() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(file -> names.add(file.getFileName().toString()));
    }
    return names;
  }

  @Test
  void findReturnsTheSavedRecord() {
    UploadRecord saved = record(REGISTRY, DIGEST, 262_144);

    journal.save(saved);

    assertThat(journal.find(REGISTRY, DIGEST)).contains(saved);
  }

  @Test
  void findOfAnUnknownBlobIsEmpty() {
    journal.save(record(REGISTRY, DIGEST, 262_144));

    assertThat(journal.find(REGISTRY, OTHER_DIGEST)).isEmpty();
  }

  @Test
  void savedRecordIsFoundByAJournalOpenedLater() {
    UploadRecord saved = record(REGISTRY, SHA512_DIGEST, 524_288);
    journal.save(saved);
    journal.close();

    journal = AtomicFileUploadJournal.open(dir);

    assertThat(journal.find(REGISTRY, SHA512_DIGEST)).contains(saved);
  }

  @Test
  void saveReplacesThePreviousRecordOfTheSameBlob() {
    journal.save(record(REGISTRY, DIGEST, 262_144));
    UploadRecord later = record(REGISTRY, DIGEST, 786_432);

    journal.save(later);

    assertThat(journal.find(REGISTRY, DIGEST)).contains(later);
  }

  @Test
  void recordsOfTheSameBlobForTwoRegistriesAreKeptApart() {
    UploadRecord here = record(REGISTRY, DIGEST, 262_144);
    UploadRecord there = record(OTHER_REGISTRY, DIGEST, 786_432);

    journal.save(here);
    journal.save(there);

    assertThat(journal.find(REGISTRY, DIGEST)).contains(here);
    assertThat(journal.find(OTHER_REGISTRY, DIGEST)).contains(there);
  }

  @Test
  void saveLeavesOnlyTheRecordFileAndTheLock() throws IOException {
    journal.save(record(REGISTRY, DIGEST, 262_144));
    journal.save(record(REGISTRY, DIGEST, 524_288));

    assertThat(fileNames())
        .containsExactlyInAnyOrder(recordFile(REGISTRY, DIGEST).getFileName().toString(),
            "journal.lock");
  }

  @Test
  void recordFileHoldsOnlyTheRecordsValuesAndItsChecksum() throws IOException {
    journal.save(record(REGISTRY, DIGEST, 262_144));

    var node = new ObjectMapper().readTree(Files.readAllBytes(recordFile(REGISTRY, DIGEST)));

    List<String> members = new ArrayList<>();
    node.fieldNames().forEachRemaining(members::add);
    assertThat(members).containsExactly("format", "version", "registry", "repository", "digest",
        "size", "location", "uploaded", "updatedAt", "sha256");
  }

  @Test
  void removeDeletesTheRecordAndTheSpoolFile() throws IOException {
    journal.save(record(REGISTRY, DIGEST, 262_144));
    Files.write(journal.spoolFile(REGISTRY, DIGEST), new byte[4096]);

    journal.remove(REGISTRY, DIGEST);

    assertThat(journal.find(REGISTRY, DIGEST)).isEmpty();
    assertThat(journal.spoolFile(REGISTRY, DIGEST)).doesNotExist();
    assertThat(fileNames()).containsExactly("journal.lock");
  }

  @Test
  void removeDeletesASpoolFileThatHasNoRecord() throws IOException {
    Files.write(journal.spoolFile(REGISTRY, DIGEST), new byte[16]);

    journal.remove(REGISTRY, DIGEST);

    assertThat(journal.spoolFile(REGISTRY, DIGEST)).doesNotExist();
  }

  @Test
  void removeOfAnUnknownBlobChangesNothing() throws IOException {
    journal.save(record(REGISTRY, DIGEST, 262_144));
    List<String> before = fileNames();

    journal.remove(REGISTRY, OTHER_DIGEST);

    assertThat(fileNames()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(journal.find(REGISTRY, DIGEST)).isPresent();
  }

  @Test
  void removeLeavesTheSameBlobOfAnotherRegistry() {
    UploadRecord there = record(OTHER_REGISTRY, DIGEST, 786_432);
    journal.save(record(REGISTRY, DIGEST, 262_144));
    journal.save(there);

    journal.remove(REGISTRY, DIGEST);

    assertThat(journal.find(OTHER_REGISTRY, DIGEST)).contains(there);
  }

  @Test
  void spoolFileIsTheSameForTheSameRegistryAndBlob() {
    Path first = journal.spoolFile(REGISTRY, DIGEST);
    journal.close();
    journal = AtomicFileUploadJournal.open(dir);

    assertThat(journal.spoolFile(REGISTRY, DIGEST)).isEqualTo(first);
  }

  @Test
  void spoolFileDiffersBetweenRegistries() {
    assertThat(journal.spoolFile(REGISTRY, DIGEST))
        .isNotEqualTo(journal.spoolFile(OTHER_REGISTRY, DIGEST))
        .isNotEqualTo(journal.spoolFile("edge.example:5001", DIGEST));
  }

  @Test
  void spoolFileDiffersBetweenBlobs() {
    assertThat(journal.spoolFile(REGISTRY, DIGEST))
        .isNotEqualTo(journal.spoolFile(REGISTRY, OTHER_DIGEST))
        .isNotEqualTo(journal.spoolFile(REGISTRY, SHA512_DIGEST));
  }

  @Test
  void spoolFileLivesInTheJournalDirectory() {
    Path spool = journal.spoolFile(REGISTRY, DIGEST);

    assertThat(spool.getParent()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(journal.directory()).isEqualTo(spool.getParent());
  }

  @Test
  void saveAndFindLeaveTheSpoolFileAlone() throws IOException {
    Path spool = journal.spoolFile(REGISTRY, DIGEST);
    Files.write(spool, new byte[] {1, 2, 3});

    journal.save(record(REGISTRY, DIGEST, 3));
    journal.find(REGISTRY, DIGEST);

    assertThat(spool).hasBinaryContent(new byte[] {1, 2, 3});
  }

  @Test
  void saveThatCannotRenameFailsWithStateStoreExceptionAndLeavesNoTempFile() throws IOException {
    // A non-empty directory where the record file goes: the final rename is refused.
    Path target = recordFile(REGISTRY, DIGEST);
    Files.createDirectories(target.resolve("occupied"));

    assertThatThrownBy(() -> journal.save(record(REGISTRY, DIGEST, 262_144)))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(target.toString())
        .hasMessageContaining("rename");
    assertThat(fileNames())
        .containsExactlyInAnyOrder(target.getFileName().toString(), "journal.lock");
  }

  @Test
  void invalidDigestIsRefusedBeforeAnyFileIsTouched() throws IOException {
    assertThatThrownBy(() -> journal.spoolFile(REGISTRY, "sha256:../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid digest");
    assertThat(fileNames()).containsExactly("journal.lock");
  }
}
