package dev.satellite.persistence.internal;

import static dev.satellite.persistence.internal.CheckpointFormat.BYTE_CHECKSUM_VERSION;
import static dev.satellite.persistence.internal.CheckpointFormat.F_CONFIG_DIGEST;
import static dev.satellite.persistence.internal.CheckpointFormat.F_DIGEST;
import static dev.satellite.persistence.internal.CheckpointFormat.F_ENTITIES;
import static dev.satellite.persistence.internal.CheckpointFormat.F_FORMAT;
import static dev.satellite.persistence.internal.CheckpointFormat.F_GROUPS;
import static dev.satellite.persistence.internal.CheckpointFormat.F_IMAGE;
import static dev.satellite.persistence.internal.CheckpointFormat.F_MARK;
import static dev.satellite.persistence.internal.CheckpointFormat.F_REF;
import static dev.satellite.persistence.internal.CheckpointFormat.F_REFERRERS;
import static dev.satellite.persistence.internal.CheckpointFormat.F_REPOSITORY;
import static dev.satellite.persistence.internal.CheckpointFormat.F_SAVED_AT;
import static dev.satellite.persistence.internal.CheckpointFormat.F_SHA256;
import static dev.satellite.persistence.internal.CheckpointFormat.F_TAG;
import static dev.satellite.persistence.internal.CheckpointFormat.F_VERSION;
import static dev.satellite.persistence.internal.CheckpointFormat.FORMAT;
import static dev.satellite.persistence.internal.CheckpointFormat.OLDEST_VERSION;
import static dev.satellite.persistence.internal.CheckpointFormat.VERSION;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.OciGrammar;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads a checkpoint file strictly: members must appear in the {@link CheckpointFormat} order, and
 * the checksum the file states must match: for version 3 the SHA-256 of the file's hashed region
 * (located by the parser's byte offset of the {@code ]} that closes {@code referrers}), for
 * versions 1 and 2 the {@link CanonicalHash} of the values, computed while reading.
 *
 * <p>It parses the whole file from memory: a checkpoint is kilobytes to a few megabytes (about 200
 * bytes per entity), less than the {@link Checkpoint} built from it, and hashing a region of an
 * array needs no bookkeeping of the parser's read-ahead. The caller reads the file, so the two
 * kinds of failure stay apart: reading can only fail with an I/O error, parsing only with a
 * corrupt checkpoint.
 *
 * <p>Checks, in order: well-formed JSON, {@code format}, {@code version} (a newer version is
 * reported as such rather than as damage), structure, checksum, and finally validation of the
 * values (digest and name grammar, duplicate group refs). A checksum mismatch is reported in
 * preference to an invalid value, since it names the cause: the bytes changed.
 */
public final class CheckpointReader {
  private final byte[] file;
  private final JsonParser json;
  /** The canonical hash of the values read so far; null for a version that hashes bytes. */
  private CanonicalHash legacyHash;
  /** Version 3: the length of the hashed region, known once {@code referrers} is closed. */
  private int hashedLength = -1;
  private final Map<String, List<Entity>> groups = new LinkedHashMap<>();
  private final Map<String, String> referrers = new LinkedHashMap<>();
  private String firstInvalid;

  private CheckpointReader(byte[] file, JsonParser json) {
    this.file = file;
    this.json = json;
  }

  /**
   * Reads one checkpoint from the content of its file.
   *
   * @throws CorruptCheckpointException when the content is not a valid, intact checkpoint
   */
  public static Checkpoint read(byte[] file) throws CorruptCheckpointException {
    try (JsonParser json = Json.MAPPER.createParser(file)) {
      return new CheckpointReader(file, json).document();
    } catch (JsonProcessingException e) {
      if (isEndOfInput(e)) {
        throw new CorruptCheckpointException(
            "truncated: the file ends before the checkpoint is complete" + at(e.getLocation()), e);
      }
      throw new CorruptCheckpointException(
          "not well-formed JSON: " + e.getOriginalMessage() + at(e.getLocation()), e);
    } catch (IOException e) {
      // Parsing an array cannot fail to read: the bytes do not decode.
      throw new CorruptCheckpointException("not well-formed JSON: " + e.getMessage(), e);
    }
  }

  /** Jackson reports some ends of input as plain parse errors, all with this message prefix. */
  private static boolean isEndOfInput(JsonProcessingException e) {
    return e instanceof JsonEOFException
        || String.valueOf(e.getOriginalMessage()).startsWith("Unexpected end-of-input");
  }

  private Checkpoint document() throws IOException, CorruptCheckpointException {
    if (json.nextToken() == null) {
      throw new CorruptCheckpointException("the file is empty");
    }
    expectCurrent(JsonToken.START_OBJECT, "the checkpoint object");
    String format = stringMember(F_FORMAT);
    if (!FORMAT.equals(format)) {
      throw new CorruptCheckpointException(
          "format is '" + format + "', expected '" + FORMAT + "'");
    }
    int version = versionMember();
    if (version < BYTE_CHECKSUM_VERSION) {
      legacyHash = new CanonicalHash().string(format).string(Integer.toString(version));
    }
    String savedAt = savedAt().toString();
    feedLegacyHash(hash -> hash.string(savedAt));
    String configDigest = nullableStringMember(F_CONFIG_DIGEST);
    feedLegacyHash(hash -> hash.nullableString(configDigest));
    member(F_GROUPS);
    expectNext(JsonToken.START_ARRAY, "the groups array");
    feedLegacyHash(CanonicalHash::begin);
    while (next() != JsonToken.END_ARRAY) {
      group();
    }
    feedLegacyHash(CanonicalHash::end);
    if (version >= 2) {
      referrers();
    }
    String stored = stringMember(F_SHA256);
    expectNext(JsonToken.END_OBJECT, "the end of the checkpoint object");
    if (json.nextToken() != null) {
      throw new CorruptCheckpointException("unexpected content after the checkpoint object");
    }
    verifyChecksum(stored);
    if (firstInvalid != null) {
      throw new CorruptCheckpointException(firstInvalid);
    }
    try {
      return new Checkpoint(Optional.ofNullable(configDigest), groups, referrers);
    } catch (IllegalArgumentException e) {
      throw new CorruptCheckpointException("configDigest: " + e.getMessage(), e);
    }
  }

  private void verifyChecksum(String stored) throws CorruptCheckpointException {
    String expected;
    String content;
    if (legacyHash != null) {
      expected = legacyHash.hex();
      content = "its values hash to";
    } else if (hashedLength < 0) {
      throw new CorruptCheckpointException(
          "not UTF-8 encoded: the checksum covers the UTF-8 bytes this format is written in");
    } else {
      MessageDigest region = Sha256.newDigest();
      region.update(file, 0, hashedLength);
      expected = Sha256.hex(region);
      content = "its bytes 0 to " + (hashedLength - 1) + " hash to";
    }
    if (!expected.equals(stored)) {
      throw new CorruptCheckpointException(
          "checksum mismatch: the file says sha256 " + stored + " but " + content + " "
              + expected);
    }
  }

  /** Feeds the canonical hash of a version 1 or 2 file; nothing for later versions. */
  private void feedLegacyHash(UnaryOperator<CanonicalHash> step) {
    if (legacyHash != null) {
      step.apply(legacyHash);
    }
  }

  private int versionMember() throws IOException, CorruptCheckpointException {
    member(F_VERSION);
    expectNext(JsonToken.VALUE_NUMBER_INT, "an integer version");
    int version = json.getIntValue();
    if (version > VERSION) {
      throw new CorruptCheckpointException(
          "unsupported future format version " + version + " (this library reads version "
              + VERSION + "; written by a newer release?)");
    }
    if (version < OLDEST_VERSION) {
      throw new CorruptCheckpointException("unsupported format version " + version
          + " (this library reads versions " + OLDEST_VERSION + " to " + VERSION + ")");
    }
    return version;
  }

  private Instant savedAt() throws IOException, CorruptCheckpointException {
    String text = stringMember(F_SAVED_AT);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CorruptCheckpointException(
          "savedAt '" + text + "' is not an ISO-8601 instant" + at(json.currentLocation()), e);
    }
  }

  private void group() throws IOException, CorruptCheckpointException {
    expectCurrent(JsonToken.START_OBJECT, "a group object");
    String ref = stringMember(F_REF);
    feedLegacyHash(hash -> hash.string(ref));
    member(F_ENTITIES);
    expectNext(JsonToken.START_ARRAY, "the entities array of group '" + ref + "'");
    feedLegacyHash(CanonicalHash::begin);
    List<Entity> entities = new ArrayList<>();
    while (next() != JsonToken.END_ARRAY) {
      expectCurrent(JsonToken.START_OBJECT, "an entity object");
      String repository = stringMember(F_REPOSITORY);
      String tag = stringMember(F_TAG);
      String digest = stringMember(F_DIGEST);
      expectNext(JsonToken.END_OBJECT, "the end of an entity object");
      feedLegacyHash(hash -> hash.string(repository).string(tag).string(digest));
      entity(ref, entities, repository, tag, digest);
    }
    feedLegacyHash(CanonicalHash::end);
    expectNext(JsonToken.END_OBJECT, "the end of group '" + ref + "'");
    if (groups.putIfAbsent(ref, entities) != null) {
      invalid("group '" + ref + "' appears twice");
    }
  }

  /**
   * The referrers marks (version 2 on): {@code [{"image": "repo@digest", "mark": "..."}]}. Its
   * closing {@code ]} ends the hashed region of version 3.
   */
  private void referrers() throws IOException, CorruptCheckpointException {
    member(F_REFERRERS);
    expectNext(JsonToken.START_ARRAY, "the referrers array");
    feedLegacyHash(CanonicalHash::begin);
    while (next() != JsonToken.END_ARRAY) {
      expectCurrent(JsonToken.START_OBJECT, "a referrers object");
      String image = stringMember(F_IMAGE);
      String mark = stringMember(F_MARK);
      expectNext(JsonToken.END_OBJECT, "the end of a referrers object");
      feedLegacyHash(hash -> hash.string(image).string(mark));
      int at = image.indexOf('@');
      if (at < 1 || !OciGrammar.isDigest(image.substring(at + 1))) {
        invalid("referrers: '" + image + "' is not repository@digest");
      } else if (referrers.putIfAbsent(image, mark) != null) {
        invalid("referrers: '" + image + "' appears twice");
      }
    }
    feedLegacyHash(CanonicalHash::end);
    long end = json.currentTokenLocation().getByteOffset(); // -1 when the text was not UTF-8
    hashedLength = end < 0 ? -1 : Math.toIntExact(end + 1);
  }

  private void entity(
      String ref, List<Entity> entities, String repository, String tag, String digest) {
    try {
      entities.add(new Entity(repository, tag, digest));
    } catch (IllegalArgumentException e) {
      invalid("group '" + ref + "', entity #" + (entities.size() + 1) + ": " + e.getMessage());
    }
  }

  private void invalid(String reason) {
    if (firstInvalid == null) {
      firstInvalid = reason;
    }
  }

  private void member(String name) throws IOException, CorruptCheckpointException {
    if (next() != JsonToken.FIELD_NAME || !name.equals(json.currentName())) {
      throw unexpected("member \"" + name + "\"");
    }
  }

  private String stringMember(String name) throws IOException, CorruptCheckpointException {
    member(name);
    expectNext(JsonToken.VALUE_STRING, "a string value for \"" + name + "\"");
    return json.getText();
  }

  private String nullableStringMember(String name)
      throws IOException, CorruptCheckpointException {
    member(name);
    if (next() == JsonToken.VALUE_NULL) {
      return null;
    }
    expectCurrent(JsonToken.VALUE_STRING, "a string or null value for \"" + name + "\"");
    return json.getText();
  }

  private void expectNext(JsonToken token, String what)
      throws IOException, CorruptCheckpointException {
    next();
    expectCurrent(token, what);
  }

  private void expectCurrent(JsonToken token, String what)
      throws IOException, CorruptCheckpointException {
    if (json.currentToken() != token) {
      throw unexpected(what);
    }
  }

  private JsonToken next() throws IOException, CorruptCheckpointException {
    JsonToken token = json.nextToken();
    if (token == null) {
      throw new CorruptCheckpointException("truncated: the file ends inside the checkpoint");
    }
    return token;
  }

  private CorruptCheckpointException unexpected(String what) throws IOException {
    JsonToken token = json.currentToken();
    String found =
        token == JsonToken.FIELD_NAME ? "member \"" + json.currentName() + "\"" : describe(token);
    return new CorruptCheckpointException(
        "expected " + what + " but found " + found + at(json.currentTokenLocation()));
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "the end of the file";
    }
    if (token == JsonToken.VALUE_STRING) {
      return "a string";
    }
    if (token.isNumeric()) {
      return "a number";
    }
    return "'" + token.asString() + "'";
  }

  private static String at(JsonLocation location) {
    return location == null
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
