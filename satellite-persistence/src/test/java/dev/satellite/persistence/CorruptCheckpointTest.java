package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.StateStoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorruptCheckpointTest {
  private static final Pattern DIGEST_HEX = Pattern.compile("sha256:([0-9a-f]{64})");
  private static final String HEX_DIGITS = "0123456789abcdefABCDEF";

  @TempDir Path dir;
  private Path file;
  private FaultInjectingFileOps ops;
  private AtomicFileStateStore store;
  private CapturedWarnings warnings;
  private byte[] valid;

  @BeforeEach
  void saveValidCheckpoint() throws IOException {
    file = dir.resolve("state.json");
    ops = new FaultInjectingFileOps();
    store = AtomicFileStateStore.open(file, ops, Clock.systemUTC());
    store.save(TestCheckpoints.small());
    valid = Files.readAllBytes(file);
    warnings = new CapturedWarnings();
  }

  @AfterEach
  void closeStore() {
    warnings.close();
    store.close();
  }

  /**
   * Writes {@code content} as the checkpoint, loads it, and asserts the damaged file was refused,
   * kept byte-for-byte as the only {@code .corrupt-*} file, and reported in one WARN naming the
   * file and {@code reason}. Removes the kept copy afterwards, so it can be called in a loop.
   */
  private void assertRejectedAndKept(byte[] content, String reason) throws IOException {
    Files.write(file, content);
    warnings.clear();

    assertThat(store.load()).as(reason).isEmpty();

    assertThat(file).as(reason).doesNotExist();
    List<Path> kept = corruptFiles();
    assertThat(kept).as(reason).hasSize(1);
    assertThat(Files.readAllBytes(kept.get(0))).as(reason).isEqualTo(content);
    assertThat(warnings.messages())
        .as(reason)
        .singleElement()
        .asString()
        .contains(file.toString())
        .contains(kept.get(0).getFileName().toString())
        .contains(reason);
    Files.delete(kept.get(0));
  }

  private List<Path> corruptFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("state.json.corrupt-"))
          .sorted()
          .toList();
    }
  }

  private String validText() {
    return new String(valid, StandardCharsets.UTF_8);
  }

  @Test
  void truncationAtEveryByteOffsetIsRejectedAndKept() throws IOException {
    for (int length = 0; length < valid.length; length++) {
      byte[] truncated = Arrays.copyOf(valid, length);
      String reason = length == 0 ? "the file is empty" : "truncated";
      assertRejectedAndKept(truncated, reason);
    }
  }

  @Test
  void everyHexDigitChangeInEveryDigestIsRejectedAndKept() throws IOException {
    String text = validText();
    Matcher digests = DIGEST_HEX.matcher(text);
    int digestCount = 0;
    int variants = 0;
    while (digests.find()) {
      digestCount++;
      for (int at = digests.start(1); at < digests.end(1); at++) {
        for (char replacement : HEX_DIGITS.toCharArray()) {
          if (replacement == text.charAt(at)) {
            continue;
          }
          String flipped = text.substring(0, at) + replacement + text.substring(at + 1);
          // Uppercase hex is also invalid grammar; the checksum mismatch is reported first.
          assertRejectedAndKept(flipped.getBytes(StandardCharsets.UTF_8), "checksum mismatch");
          variants++;
        }
      }
    }
    assertThat(digestCount).as("config digest and three entity digests").isEqualTo(4);
    assertThat(variants).isEqualTo(4 * 64 * 21);
  }

  @Test
  void everyHexDigitChangeInChecksumIsRejectedAndKept() throws IOException {
    String text = validText();
    Matcher checksum = Pattern.compile("\"sha256\": \"([0-9a-f]{64})\"").matcher(text);
    assertThat(checksum.find()).isTrue();
    for (int at = checksum.start(1); at < checksum.end(1); at++) {
      char replacement = text.charAt(at) == '0' ? '1' : '0';
      String flipped = text.substring(0, at) + replacement + text.substring(at + 1);
      assertRejectedAndKept(flipped.getBytes(StandardCharsets.UTF_8), "checksum mismatch");
    }
  }

  @Test
  void changedSavedAtIsRejectedAndKept() throws IOException {
    String flipped = validText().replaceFirst("(\"savedAt\": \"\\d{3})\\d", "$19");
    assertThat(flipped).isNotEqualTo(validText());
    assertRejectedAndKept(flipped.getBytes(StandardCharsets.UTF_8), "checksum mismatch");
  }

  @Test
  void unknownFutureVersionIsRejectedAndKept() throws IOException {
    String future = validText().replace("\"version\": 3,", "\"version\": 4,");
    assertThat(future).isNotEqualTo(validText());
    assertRejectedAndKept(
        future.getBytes(StandardCharsets.UTF_8), "unsupported future format version 4");
  }

  @Test
  void wrongFormatIsRejectedAndKept() throws IOException {
    String other = validText().replace("\"satellite-checkpoint\"", "\"other-checkpoint\"");
    assertRejectedAndKept(
        other.getBytes(StandardCharsets.UTF_8),
        "format is 'other-checkpoint', expected 'satellite-checkpoint'");
  }

  @Test
  void otherJsonDocumentIsRejectedAndKept() throws IOException {
    assertRejectedAndKept(
        "{\"states\": []}".getBytes(StandardCharsets.UTF_8),
        "expected member \"format\" but found member \"states\"");
  }

  @Test
  void textThatIsNotJsonIsRejectedAndKept() throws IOException {
    assertRejectedAndKept(
        "this is not a checkpoint\n".getBytes(StandardCharsets.UTF_8), "not well-formed JSON");
  }

  @Test
  void binaryGarbageIsRejectedAndKept() throws IOException {
    assertRejectedAndKept(new byte[] {0, 0, 0, 1, (byte) 0xff, (byte) 0xfe, 0x7b}, "");
  }

  @Test
  void trailingContentIsRejectedAndKept() throws IOException {
    assertRejectedAndKept(
        (validText() + "{}").getBytes(StandardCharsets.UTF_8), "unexpected content after");
  }

  @Test
  void entityFailingValidationIsRejectedEvenWithMatchingChecksum() throws IOException {
    String json = signedCheckpoint(TestCheckpoints.GROUP_1, TestCheckpoints.GROUP_2, "Upper/Case");
    assertRejectedAndKept(json.getBytes(StandardCharsets.UTF_8), "invalid repository name");
  }

  @Test
  void duplicateGroupIsRejectedEvenWithMatchingChecksum() throws IOException {
    String json = signedCheckpoint(TestCheckpoints.GROUP_1, TestCheckpoints.GROUP_1, "library/a");
    assertRejectedAndKept(json.getBytes(StandardCharsets.UTF_8), "appears twice");
  }

  @Test
  void corruptionsInTheSameMillisecondAreKeptUnderDistinctNames() throws IOException {
    Clock frozen = Clock.fixed(Instant.parse("2026-05-06T07:08:09.010Z"), ZoneOffset.UTC);
    store.close();
    store = AtomicFileStateStore.open(file, ops, frozen);
    List<byte[]> contents = List.of(new byte[] {'a'}, new byte[] {'b'}, new byte[] {'c'});
    for (byte[] content : contents) {
      Files.write(file, content);
      assertThat(store.load()).isEmpty();
    }
    List<Path> kept = corruptFiles();
    assertThat(kept)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "state.json.corrupt-20260506T070809.010Z",
            "state.json.corrupt-20260506T070809.010Z-2",
            "state.json.corrupt-20260506T070809.010Z-3");
    List<byte[]> keptContents = new ArrayList<>();
    for (Path path : kept) {
      keptContents.add(Files.readAllBytes(path));
    }
    assertThat(keptContents).containsExactlyElementsOf(contents);
  }

  @Test
  void loadFailsAndKeepsFileWhenCorruptFileCannotBeMovedAside() throws IOException {
    Files.write(file, new byte[] {'x'});
    ops.failAt(
        FaultInjectingFileOps.Step.MOVE_ASIDE, () -> new IOException("Read-only file system"));

    assertThatThrownBy(() -> store.load())
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("could not be moved aside")
        .hasMessageContaining("Read-only file system");
    assertThat(Files.readAllBytes(file)).containsExactly('x');
  }

  @Test
  void saveAfterRejectedFileWritesNewFileAndKeepsTheBadOne() throws IOException {
    Files.write(file, Arrays.copyOf(valid, 10));
    assertThat(store.load()).isEmpty();

    store.save(TestCheckpoints.small());

    assertThat(store.load()).contains(TestCheckpoints.small());
    assertThat(corruptFiles()).hasSize(1);
  }

  @Test
  void readErrorFailsLoadAndIsNotTakenForCorruption() throws IOException {
    Files.delete(file);
    Files.createDirectory(file);

    assertThatThrownBy(() -> store.load())
        .isInstanceOf(StateStoreException.class)
        .hasMessageStartingWith("load checkpoint " + file + ": ")
        .hasMessageContaining("Is a directory");
    assertThat(file).isDirectory();
    assertThat(corruptFiles()).isEmpty();
    assertThat(warnings.messages()).isEmpty();
  }

  /**
   * A document with two groups whose checksum matches its content, to prove validation runs after
   * the checksum: the second group holds one entity in {@code repository}. Written compactly, on
   * one line, and signed the way the format defines (SHA-256 of every byte up to the {@code ]} of
   * {@code referrers}), so it also shows the checksum does not depend on the writer's layout.
   */
  private static String signedCheckpoint(String ref1, String ref2, String repository) {
    String hashedRegion = "{\"format\": \"satellite-checkpoint\", \"version\": 3, \"savedAt\": "
        + "\"2026-01-01T00:00:00Z\", \"configDigest\": null, \"groups\": [{\"ref\": \"" + ref1
        + "\", \"entities\": []}, {\"ref\": \"" + ref2 + "\", \"entities\": [{\"repository\": \""
        + repository + "\", \"tag\": \"v1\", \"digest\": \"" + TestCheckpoints.digest("x")
        + "\"}]}], \"referrers\": []";
    String sha256 = TestCheckpoints.digest(hashedRegion).substring("sha256:".length());
    return hashedRegion + ", \"sha256\": \"" + sha256 + "\"}";
  }

  @Test
  void signedCheckpointHelperProducesLoadableFileForValidValues() throws IOException {
    String json = signedCheckpoint(TestCheckpoints.GROUP_1, TestCheckpoints.GROUP_2, "library/a");
    Files.writeString(file, json);
    Checkpoint loaded = store.load().orElseThrow();
    assertThat(loaded.groups()).containsOnlyKeys(TestCheckpoints.GROUP_1, TestCheckpoints.GROUP_2);
    assertThat(warnings.messages()).isEmpty();
  }

  /**
   * Every byte of the hashed region whose change keeps the document well-formed and in shape (any
   * whitespace, any character of a value but the format name and the save time, which fail their
   * own checks first) is reported as a checksum mismatch. Whitespace is covered too: the checksum
   * is over the bytes written, not over the values.
   */
  @Test
  void everyByteChangedInTheHashedRegionIsAChecksumMismatch() throws IOException {
    String digest = TestCheckpoints.digest("nginx-1.27");
    Checkpoint marked = new Checkpoint(TestCheckpoints.small().configDigest(),
        TestCheckpoints.small().groups(),
        Map.of("library/nginx@" + digest, TestCheckpoints.digest("mark") + " " + digest));
    store.save(marked);
    byte[] written = Files.readAllBytes(file);
    int regionEnd = new String(written, StandardCharsets.UTF_8).lastIndexOf("],\n") + 1;
    BitSet values = valueBytes(written, Set.of("format", "savedAt"));

    int whitespace = 0;
    int valueBytes = 0;
    for (int at = 0; at < regionEnd; at++) {
      byte replacement;
      if (values.get(at)) {
        replacement = (byte) (written[at] == 'x' ? 'y' : 'x');
        valueBytes++;
      } else if (written[at] == ' ' || written[at] == '\n') {
        replacement = (byte) (written[at] == ' ' ? '\t' : ' ');
        whitespace++;
      } else {
        continue;
      }
      byte[] changed = written.clone();
      changed[at] = replacement;
      assertRejectedAndKept(changed, "checksum mismatch");
    }
    assertThat(whitespace).as("indentation, line ends, spaces after colons").isGreaterThan(250);
    assertThat(valueBytes).as("refs, names, tags, digests, the mark").isGreaterThan(650);
  }

  /** The bytes after the region hold nothing but the checksum, which is compared itself. */
  @Test
  void layoutAroundTheChecksumMemberIsOutsideTheHashedRegion() throws IOException {
    String relaid =
        validText().replace("],\n  \"sha256\": ", "] ,\"sha256\":").replace("\"\n}", "\" }");
    assertThat(relaid).isNotEqualTo(validText());
    Files.writeString(file, relaid);

    assertThat(store.load()).contains(TestCheckpoints.small());
    assertThat(warnings.messages()).isEmpty();
  }

  /** Byte offsets of the characters of string values, but those of {@code excluded} members. */
  private static BitSet valueBytes(byte[] document, Set<String> excluded) throws IOException {
    BitSet bytes = new BitSet();
    try (JsonParser json = new JsonFactory().createParser(document)) {
      for (JsonToken token = json.nextToken(); token != null; token = json.nextToken()) {
        if (token == JsonToken.VALUE_STRING && !excluded.contains(json.currentName())) {
          int start = Math.toIntExact(json.currentTokenLocation().getByteOffset()) + 1;
          bytes.set(start, start + json.getText().getBytes(StandardCharsets.UTF_8).length);
        }
      }
    }
    return bytes;
  }
}
