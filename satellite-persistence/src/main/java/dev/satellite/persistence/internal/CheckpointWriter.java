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
import java.security.DigestOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Streams a {@link Checkpoint} as pretty-printed JSON in the {@link CheckpointFormat}, hashing the
 * bytes as they pass to the file, so no document tree or copy of the file is ever built.
 */
public final class CheckpointWriter {
  private CheckpointWriter() {}

  /**
   * Writes {@code checkpoint} to {@code out} (flushed, not closed).
   *
   * @throws IOException when {@code out} fails
   */
  public static void write(Checkpoint checkpoint, Instant savedAt, OutputStream out)
      throws IOException {
    DigestOutputStream hashed = new DigestOutputStream(out, Sha256.newDigest());
    try (JsonGenerator json = Json.MAPPER.createGenerator(hashed)) {
      json.setPrettyPrinter(CheckpointFormat.prettyPrinter());
      json.writeStartObject();
      json.writeStringField(F_FORMAT, FORMAT);
      json.writeNumberField(F_VERSION, VERSION);
      json.writeStringField(F_SAVED_AT, savedAt.toString());
      json.writeFieldName(F_CONFIG_DIGEST);
      json.writeString(checkpoint.configDigest().orElse(null));
      json.writeArrayFieldStart(F_GROUPS);
      for (Map.Entry<String, List<Entity>> group : checkpoint.groups().entrySet()) {
        writeGroup(json, group.getKey(), group.getValue());
      }
      json.writeEndArray();
      json.writeArrayFieldStart(F_REFERRERS);
      for (Map.Entry<String, String> image : checkpoint.referrers().entrySet()) {
        json.writeStartObject();
        json.writeStringField(F_IMAGE, image.getKey());
        json.writeStringField(F_MARK, image.getValue());
        json.writeEndObject();
      }
      json.writeEndArray();
      // The hashed region ends with this ']': the generator writes the ',' before the next member
      // only when that member starts, so after a flush the digest has seen exactly the region.
      json.flush();
      hashed.on(false);
      json.writeStringField(F_SHA256, Sha256.hex(hashed.getMessageDigest()));
      json.writeEndObject();
    }
  }

  private static void writeGroup(JsonGenerator json, String ref, List<Entity> entities)
      throws IOException {
    json.writeStartObject();
    json.writeStringField(F_REF, ref);
    json.writeArrayFieldStart(F_ENTITIES);
    for (Entity entity : entities) {
      json.writeStartObject();
      json.writeStringField(F_REPOSITORY, entity.repository());
      json.writeStringField(F_TAG, entity.tag());
      json.writeStringField(F_DIGEST, entity.digest());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }
}
