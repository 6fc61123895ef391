package dev.satellite.persistence.internal;

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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a checkpoint file strictly, streaming: members must appear in the {@link CheckpointFormat}
 * order, the {@link CanonicalHash} is computed while reading and compared with the stored one.
 *
 * <p>Checks, in order: well-formed JSON, {@code format}, {@code version} (a newer version is
 * reported as such rather than as damage), structure, checksum, and finally validation of the
 * values (digest and name grammar, duplicate group refs). A checksum mismatch is reported in
 * preference to an invalid value, since it names the cause: the bytes changed.
 */
public final class CheckpointReader {
  private final JsonParser json;
  private final CanonicalHash hash = new CanonicalHash();
  private final Map<String, List<Entity>> groups = new LinkedHashMap<>();
  private final Map<String, String> referrers = new LinkedHashMap<>();
  private String firstInvalid;

  private CheckpointReader(JsonParser json) {
    this.json = json;
  }

  /**
   * Reads one checkpoint from {@code in} (not closed).
   *
   * @throws CorruptCheckpointException when the content is not a valid, intact checkpoint
   * @throws IOException when reading {@code in} fails
   */
  public static Checkpoint read(InputStream in) throws CorruptCheckpointException, IOException {
    try (JsonParser json = CheckpointFormat.JSON.createParser(new FailureMarkingInputStream(in))) {
      return new CheckpointReader(json).document();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (JsonProcessingException e) {
      if (isEndOfInput(e)) {
        throw new CorruptCheckpointException(
            "truncated: the file ends before the checkpoint is complete" + at(e.getLocation()), e);
      }
      throw new CorruptCheckpointException(
          "not well-formed JSON: " + e.getOriginalMessage() + at(e.getLocation()), e);
    } catch (IOException e) {
      // Not from the stream (those arrive as UncheckedIOException): a decoding failure.
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
    hash.string(format);
    int version = versionMember();
    hash.string(Integer.toString(version));
    hash.string(savedAt().toString());
    String configDigest = nullableStringMember(F_CONFIG_DIGEST);
    hash.nullableString(configDigest);
    member(F_GROUPS);
    expectNext(JsonToken.START_ARRAY, "the groups array");
    hash.begin();
    while (next() != JsonToken.END_ARRAY) {
      group();
    }
    hash.end();
    if (version >= 2) {
      referrers();
    }
    String expected = hash.hex();
    String stored = stringMember(F_SHA256);
    expectNext(JsonToken.END_OBJECT, "the end of the checkpoint object");
    if (json.nextToken() != null) {
      throw new CorruptCheckpointException("unexpected content after the checkpoint object");
    }
    if (!expected.equals(stored)) {
      throw new CorruptCheckpointException(
          "checksum mismatch: the file says sha256 " + stored + " but its content hashes to "
              + expected);
    }
    if (firstInvalid != null) {
      throw new CorruptCheckpointException(firstInvalid);
    }
    try {
      return new Checkpoint(Optional.ofNullable(configDigest), groups, referrers);
    } catch (IllegalArgumentException e) {
      throw new CorruptCheckpointException("configDigest: " + e.getMessage(), e);
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
    hash.string(ref);
    member(F_ENTITIES);
    expectNext(JsonToken.START_ARRAY, "the entities array of group '" + ref + "'");
    hash.begin();
    List<Entity> entities = new ArrayList<>();
    while (next() != JsonToken.END_ARRAY) {
      expectCurrent(JsonToken.START_OBJECT, "an entity object");
      String repository = stringMember(F_REPOSITORY);
      String tag = stringMember(F_TAG);
      String digest = stringMember(F_DIGEST);
      expectNext(JsonToken.END_OBJECT, "the end of an entity object");
      hash.string(repository).string(tag).string(digest);
      entity(ref, entities, repository, tag, digest);
    }
    hash.end();
    expectNext(JsonToken.END_OBJECT, "the end of group '" + ref + "'");
    if (groups.putIfAbsent(ref, entities) != null) {
      invalid("group '" + ref + "' appears twice");
    }
  }

  /** The referrers marks (version 2): {@code [{"image": "repo@digest", "mark": "..."}]}. */
  private void referrers() throws IOException, CorruptCheckpointException {
    member(F_REFERRERS);
    expectNext(JsonToken.START_ARRAY, "the referrers array");
    hash.begin();
    while (next() != JsonToken.END_ARRAY) {
      expectCurrent(JsonToken.START_OBJECT, "a referrers object");
      String image = stringMember(F_IMAGE);
      String mark = stringMember(F_MARK);
      expectNext(JsonToken.END_OBJECT, "the end of a referrers object");
      hash.string(image).string(mark);
      int at = image.indexOf('@');
      if (at < 1 || !OciGrammar.isDigest(image.substring(at + 1))) {
        invalid("referrers: '" + image + "' is not repository@digest");
      } else if (referrers.putIfAbsent(image, mark) != null) {
        invalid("referrers: '" + image + "' appears twice");
      }
    }
    hash.end();
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
