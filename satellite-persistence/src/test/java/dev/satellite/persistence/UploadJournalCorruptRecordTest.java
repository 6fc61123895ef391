package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.core.StateStoreException;
import dev.satellite.core.UploadRecord;
import dev.satellite.persistence.internal.UploadRecordCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The journal's own crash and mix-up cases: a record file that is truncated, altered, of another
 * format, or copied from another destination or blob is refused, set aside and reported, never
 * served.
 */
class UploadJournalCorruptRecordTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
  private static final String CORRUPT_SUFFIX = ".corrupt-20261120T100000.000Z";
  private static final String REGISTRY = "edge.example:5000";
  private static final String OTHER_REGISTRY = "edge.example:5001";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String OTHER_DIGEST = "sha256:" + "cd".repeat(32);
  private static final UploadRecord RECORD = record(REGISTRY, DIGEST);
  private static final byte[] ENCODED = UploadRecordCodec.encode(RECORD);

  @TempDir Path dir;
  private AtomicFileUploadJournal journal;
  private CapturedWarnings warnings;
  private Path file;

  @BeforeEach
  void saveValidRecord() {
    journal = AtomicFileUploadJournal.open(dir, Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC));
    journal.save(RECORD);
    file = recordFile(REGISTRY, DIGEST);
    warnings = new CapturedWarnings(AtomicFileUploadJournal.class);
  }

  @AfterEach
  void closeJournal() {
    warnings.close();
    journal.close();
  }

  private static UploadRecord record(String registry, String digest) {
    return new UploadRecord(registry, "library/app", digest, 1_048_576,
        "http://" + registry + "/v2/library/app/blobs/uploads/5f2e?_state=c2lnbmVk", 262_144,
        Instant.parse("2026-11-20T09:59:30Z"));
  }

  /** The record file sits next to the spool file: same name, {@code .upload} instead. */
  private Path recordFile(String registry, String digest) {
    Path spool = journal.spoolFile(registry, digest);
    String name = spool.getFileName().toString();
    return spool.resolveSibling(name.substring(0, name.length() - ".spool".length()) + ".upload");
  }

  private Path setAside() {
    return file.resolveSibling(file.getFileName() + CORRUPT_SUFFIX);
  }

  /** Writes {@code content} as the record and asserts that find refuses it for {@code reason}. */
  private void assertRefused(byte[] content, String reason) throws IOException {
    Files.write(file, content);

    assertThatThrownBy(() -> journal.find(REGISTRY, DIGEST))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(reason);
  }

  private static byte[] edited(Consumer<ObjectNode> edit) throws IOException {
    ObjectNode node = (ObjectNode) JSON.readTree(ENCODED);
    edit.accept(node);
    return JSON.writeValueAsBytes(node);
  }

  static IntStream truncatedLengths() {
    return IntStream.of(0, 1, 2, ENCODED.length / 4, ENCODED.length / 2, ENCODED.length - 2,
        ENCODED.length - 1);
  }

  @ParameterizedTest(name = "cut to {0} bytes")
  @MethodSource("truncatedLengths")
  void truncatedRecordIsRefused(int length) throws IOException {
    String reason = length == 0 ? "not a JSON object" : "not valid JSON (truncated";

    assertRefused(Arrays.copyOf(ENCODED, length), reason);
  }

  static Stream<Arguments> alteredValues() {
    return Stream.of(
        arguments("repository", (Consumer<ObjectNode>) n -> n.put("repository", "library/other")),
        arguments("size", (Consumer<ObjectNode>) n -> n.put("size", 2_097_152)),
        arguments("location", (Consumer<ObjectNode>) n -> n.put("location", "http://evil/x")),
        arguments("uploaded", (Consumer<ObjectNode>) n -> n.put("uploaded", 524_288)),
        arguments("updatedAt", (Consumer<ObjectNode>) n -> n.put("updatedAt",
            "2026-11-20T09:59:31Z")),
        arguments("sha256", (Consumer<ObjectNode>) n -> n.put("sha256", "0".repeat(64))));
  }

  @ParameterizedTest(name = "{0} changed")
  @MethodSource("alteredValues")
  void recordWhoseValueChangedFailsItsChecksum(String member, Consumer<ObjectNode> edit)
      throws IOException {
    assertRefused(edited(edit), "checksum mismatch");
  }

  static Stream<Arguments> malformedRecords() {
    return Stream.of(
        arguments("not JSON", "upload in progress".getBytes(StandardCharsets.UTF_8),
            "not valid JSON"),
        arguments("a JSON array", "[1, 2]".getBytes(StandardCharsets.UTF_8), "not a JSON object"),
        arguments("JSON null", "null".getBytes(StandardCharsets.UTF_8), "not a JSON object"),
        arguments("a version in quotes", editedQuietly(n -> n.put("version", "1")), "version"),
        arguments("a boolean version", editedQuietly(n -> n.put("version", true)), "version"),
        arguments("a fractional version", editedQuietly(n -> n.put("version", 1.9)), "version"),
        arguments("content after the record",
            (new String(ENCODED, StandardCharsets.UTF_8) + "{\"x\":1}")
                .getBytes(StandardCharsets.UTF_8), "content after the record"),
        arguments("nesting deeper than 64 levels",
            editedQuietly(n -> n.set("extra", deeplyNested(65))), "nesting depth"),
        arguments("another format", editedQuietly(n -> n.put("format", "satellite-checkpoint")),
            "format is not satellite-upload-record"),
        arguments("no format", editedQuietly(n -> n.remove("format")),
            "non-text \"format\""),
        arguments("a newer version", editedQuietly(n -> n.put("version", 2)),
            "unsupported version 2"),
        arguments("no version", editedQuietly(n -> n.remove("version")), "unsupported version"),
        arguments("a size in quotes", editedQuietly(n -> n.put("size", "1048576")),
            "non-integer \"size\""),
        arguments("a fractional offset", editedQuietly(n -> n.put("uploaded", 262_144.5)),
            "non-integer \"uploaded\""),
        arguments("no registry", editedQuietly(n -> n.remove("registry")),
            "non-text \"registry\""),
        arguments("an invalid digest", editedQuietly(n -> n.put("digest", "sha256:abc")),
            "invalid value"),
        arguments("more uploaded than the blob's size",
            editedQuietly(n -> n.put("uploaded", 2_097_152)), "invalid value"),
        arguments("an unreadable time", editedQuietly(n -> n.put("updatedAt", "yesterday")),
            "invalid value"),
        arguments("no checksum", editedQuietly(n -> n.remove("sha256")),
            "non-text \"sha256\""));
  }

  /** {@code depth} arrays, each holding the next. */
  private static ArrayNode deeplyNested(int depth) {
    ArrayNode outer = JsonNodeFactory.instance.arrayNode();
    ArrayNode inner = outer;
    for (int level = 1; level < depth; level++) {
      inner = inner.addArray();
    }
    return outer;
  }

  private static byte[] editedQuietly(Consumer<ObjectNode> edit) {
    try {
      return edited(edit);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRecords")
  void malformedRecordIsRefused(String what, byte[] content, String reason) throws IOException {
    assertRefused(content, reason);
  }

  @Test
  void recordOfAnotherRegistryUnderThisRegistrysNameIsRefused() throws IOException {
    byte[] otherRegistrys = UploadRecordCodec.encode(record(OTHER_REGISTRY, DIGEST));

    assertRefused(otherRegistrys, "for " + OTHER_REGISTRY + ", not " + DIGEST + " for " + REGISTRY);
  }

  @Test
  void recordOfAnotherBlobUnderThisBlobsNameIsRefused() throws IOException {
    byte[] otherBlobs = UploadRecordCodec.encode(record(REGISTRY, OTHER_DIGEST));

    assertRefused(otherBlobs, "records " + OTHER_DIGEST + " for " + REGISTRY + ", not " + DIGEST);
  }

  @Test
  void recordCopiedOverAnotherRegistrysLeavesTheOriginalTrusted() throws IOException {
    UploadRecord other = record(OTHER_REGISTRY, DIGEST);
    journal.save(other);
    Files.copy(recordFile(OTHER_REGISTRY, DIGEST), file, StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> journal.find(REGISTRY, DIGEST))
        .isInstanceOf(StateStoreException.class);
    assertThat(journal.find(OTHER_REGISTRY, DIGEST)).contains(other);
  }

  @Test
  void refusedRecordIsKeptByteForByteUnderACorruptName() throws IOException {
    byte[] damaged = Arrays.copyOf(ENCODED, ENCODED.length / 2);

    assertRefused(damaged, "moved aside as " + setAside().getFileName());

    assertThat(file).doesNotExist();
    assertThat(setAside()).hasBinaryContent(damaged);
  }

  @Test
  void refusedRecordIsReportedInOneWarningNamingTheFileAndWhereItWent() throws IOException {
    assertRefused(edited(n -> n.put("uploaded", 524_288)), "checksum mismatch");

    assertThat(warnings.messages())
        .singleElement()
        .asString()
        .contains(file.toString())
        .contains("checksum mismatch")
        .contains(setAside().getFileName().toString());
  }

  @Test
  void findAfterARefusalIsEmpty() throws IOException {
    assertRefused(Arrays.copyOf(ENCODED, 10), "truncated");

    assertThat(journal.find(REGISTRY, DIGEST)).isEmpty();
  }

  @Test
  void secondRefusalInTheSameMillisecondKeepsBothCopies() throws IOException {
    byte[] first = Arrays.copyOf(ENCODED, 10);
    byte[] second = Arrays.copyOf(ENCODED, 20);
    assertRefused(first, "truncated");

    assertRefused(second, "truncated");

    assertThat(setAside()).hasBinaryContent(first);
    assertThat(file.resolveSibling(setAside().getFileName() + "-2")).hasBinaryContent(second);
  }

  @Test
  void saveAfterARefusalWritesATrustedRecord() throws IOException {
    assertRefused(Arrays.copyOf(ENCODED, 10), "truncated");

    journal.save(RECORD);

    assertThat(journal.find(REGISTRY, DIGEST)).contains(RECORD);
  }
}
