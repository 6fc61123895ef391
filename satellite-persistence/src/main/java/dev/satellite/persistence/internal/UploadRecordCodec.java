package dev.satellite.persistence.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.core.UploadRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The file form of an {@link UploadRecord}: one JSON object with {@code format}
 * ({@value #FORMAT}), {@code version} (1), the record's values, and a {@code sha256} checksum over
 * the canonical encoding ({@link CanonicalHash}) of {@code format, version, registry, repository,
 * digest, size, location, uploaded, updatedAt} in that order, numbers in decimal.
 */
public final class UploadRecordCodec {
  static final String FORMAT = "satellite-upload-record";
  private static final int VERSION = 1;

  private UploadRecordCodec() {}

  public static byte[] encode(UploadRecord record) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("format", FORMAT);
    node.put("version", VERSION);
    node.put("registry", record.registry());
    node.put("repository", record.repository());
    node.put("digest", record.digest());
    node.put("size", record.size());
    node.put("location", record.location());
    node.put("uploaded", record.uploaded());
    node.put("updatedAt", record.updatedAt().toString());
    node.put("sha256", checksum(record));
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an upload record always encodes", e);
    }
  }

  /**
   * Parses and checks a record file's bytes.
   *
   * @throws CorruptCheckpointException naming what is wrong
   */
  public static UploadRecord decode(byte[] bytes) throws CorruptCheckpointException {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new CorruptCheckpointException("not valid JSON (truncated, or content after the"
          + " record?): " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new CorruptCheckpointException("not a JSON object");
    }
    if (!FORMAT.equals(text(node, "format"))) {
      throw new CorruptCheckpointException("format is not " + FORMAT);
    }
    JsonNode version = node.get("version");
    if (version == null || !version.isIntegralNumber() || version.asLong() != VERSION) {
      throw new CorruptCheckpointException("unsupported version " + node.get("version"));
    }
    UploadRecord record;
    try {
      record = new UploadRecord(text(node, "registry"), text(node, "repository"),
          text(node, "digest"), number(node, "size"), text(node, "location"),
          number(node, "uploaded"), Instant.parse(text(node, "updatedAt")));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new CorruptCheckpointException("invalid value: " + e.getMessage());
    }
    if (!checksum(record).equals(text(node, "sha256"))) {
      throw new CorruptCheckpointException("checksum mismatch");
    }
    return record;
  }

  private static String checksum(UploadRecord record) {
    return new CanonicalHash()
        .string(FORMAT)
        .string(Integer.toString(VERSION))
        .string(record.registry())
        .string(record.repository())
        .string(record.digest())
        .string(Long.toString(record.size()))
        .string(record.location())
        .string(Long.toString(record.uploaded()))
        .string(record.updatedAt().toString())
        .hex();
  }

  private static String text(JsonNode node, String name) throws CorruptCheckpointException {
    JsonNode value = node.get(name);
    if (value == null || !value.isTextual()) {
      throw new CorruptCheckpointException("missing or non-text \"" + name + "\"");
    }
    return value.asText();
  }

  private static long number(JsonNode node, String name) throws CorruptCheckpointException {
    JsonNode value = node.get(name);
    if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new CorruptCheckpointException("missing or non-integer \"" + name + "\"");
    }
    return value.asLong();
  }
}
