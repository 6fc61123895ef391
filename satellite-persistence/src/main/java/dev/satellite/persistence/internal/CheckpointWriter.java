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
import static dev.satellite.persistence.internal.CheckpointFormat.VERSION;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Streams a {@link Checkpoint} as pretty-printed JSON in the {@link CheckpointFormat}, feeding each
 * value to the {@link CanonicalHash} as it is written, so no document tree is ever built.
 */
public final class CheckpointWriter {
  private CheckpointWriter() {}

  /**
   * Writes {@code checkpoint} to {@code out} (buffered by the generator; flushed, not closed).
   *
   * @throws IOException when {@code out} fails
   */
  public static void write(Checkpoint checkpoint, Instant savedAt, OutputStream out)
      throws IOException {
    CanonicalHash hash = new CanonicalHash();
    try (JsonGenerator json = CheckpointFormat.JSON.createGenerator(out)) {
      json.setPrettyPrinter(CheckpointFormat.prettyPrinter());
      json.writeStartObject();
      json.writeStringField(F_FORMAT, FORMAT);
      hash.string(FORMAT);
      json.writeNumberField(F_VERSION, VERSION);
      hash.string(Integer.toString(VERSION));
      String saved = savedAt.toString();
      json.writeStringField(F_SAVED_AT, saved);
      hash.string(saved);
      String configDigest = checkpoint.configDigest().orElse(null);
      json.writeFieldName(F_CONFIG_DIGEST);
      json.writeString(configDigest);
      hash.nullableString(configDigest);
      json.writeArrayFieldStart(F_GROUPS);
      hash.begin();
      for (Map.Entry<String, List<Entity>> group : checkpoint.groups().entrySet()) {
        writeGroup(json, hash, group.getKey(), group.getValue());
      }
      json.writeEndArray();
      hash.end();
      json.writeArrayFieldStart(F_REFERRERS);
      hash.begin();
      for (Map.Entry<String, String> image : checkpoint.referrers().entrySet()) {
        json.writeStartObject();
        json.writeStringField(F_IMAGE, image.getKey());
        json.writeStringField(F_MARK, image.getValue());
        json.writeEndObject();
        hash.string(image.getKey()).string(image.getValue());
      }
      json.writeEndArray();
      hash.end();
      json.writeStringField(F_SHA256, hash.hex());
      json.writeEndObject();
    }
  }

  private static void writeGroup(
      JsonGenerator json, CanonicalHash hash, String ref, List<Entity> entities)
      throws IOException {
    json.writeStartObject();
    json.writeStringField(F_REF, ref);
    hash.string(ref);
    json.writeArrayFieldStart(F_ENTITIES);
    hash.begin();
    for (Entity entity : entities) {
      json.writeStartObject();
      json.writeStringField(F_REPOSITORY, entity.repository());
      json.writeStringField(F_TAG, entity.tag());
      json.writeStringField(F_DIGEST, entity.digest());
      json.writeEndObject();
      hash.string(entity.repository()).string(entity.tag()).string(entity.digest());
    }
    json.writeEndArray();
    hash.end();
    json.writeEndObject();
  }
}
