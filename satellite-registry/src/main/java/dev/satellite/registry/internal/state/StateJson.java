package dev.satellite.registry.internal.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to the fields of an {@code artifacts.json} document. Field problems are thrown as
 * {@link BadField} so that the caller decides whether they fail the document or one entry of it.
 */
final class StateJson {
  private StateJson() {}

  /** A new, empty JSON object to fill and {@link #write}. */
  static ObjectNode newObject() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** A field of the wrong type, or a required field that is missing. */
  static final class BadField extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadField(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code json} as one JSON value.
   *
   * @param action what is being done, e.g. {@code "read group state h/satellite/...:latest"}
   * @throws SatelliteException naming the action when the bytes are not JSON
   */
  static JsonNode parse(String action, byte[] json) {
    try {
      JsonNode node = Json.read(json);
      if (node == null || node.isMissingNode()) {
        throw new SatelliteException(action + ": artifacts.json is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new SatelliteException(
          action + ": artifacts.json is not valid JSON: " + e.getOriginalMessage() + location(e),
          e);
    } catch (IOException e) {
      throw new SatelliteException(action + ": cannot read artifacts.json: " + e.getMessage(), e);
    }
  }

  /** Parses {@code json} as a JSON object; anything else fails naming the action. */
  static ObjectNode parseObject(String action, byte[] json) {
    JsonNode node = parse(action, json);
    if (!node.isObject()) {
      throw new SatelliteException(
          action + ": artifacts.json must be a JSON object, got " + kind(node));
    }
    return (ObjectNode) node;
  }

  /** The string value of {@code field}; empty when missing or null. */
  static Optional<String> optionalText(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new BadField("field '" + field + "' must be a string, got " + kind(value));
    }
    return Optional.of(value.textValue());
  }

  /** The string value of {@code field}, which must be present and non-null. */
  static String requiredText(JsonNode object, String field) {
    return optionalText(object, field)
        .orElseThrow(() -> new BadField("required field '" + field + "' is missing"));
  }

  /** The boolean value of {@code field}; false when missing or null. */
  static boolean optionalBoolean(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new BadField("field '" + field + "' must be true or false, got " + kind(value));
    }
    return value.booleanValue();
  }

  /**
   * The strings of {@code field}: an array of strings, or a single string as one element when
   * {@code singleAllowed}; empty when missing or null.
   */
  static List<String> stringList(JsonNode object, String field, boolean singleAllowed) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (singleAllowed && value.isTextual()) {
      return List.of(value.textValue());
    }
    if (!value.isArray()) {
      throw new BadField("field '" + field + "' must be an array of strings, got " + kind(value));
    }
    List<String> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      if (!element.isTextual()) {
        throw new BadField(
            "field '"
                + field
                + "' must be an array of strings, element "
                + i
                + " is "
                + kind(element));
      }
      out.add(element.textValue());
    }
    return out;
  }

  /** The elements of the array {@code field}; empty when missing or null. */
  static List<JsonNode> array(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new BadField("field '" + field + "' must be an array, got " + kind(value));
    }
    List<JsonNode> out = new ArrayList<>(value.size());
    value.forEach(out::add);
    return out;
  }

  /** Serializes {@code node} compactly as UTF-8. */
  static byte[] write(JsonNode node) {
    try {
      return Json.write(node);
    } catch (JsonProcessingException e) {
      throw new SatelliteException("serialize artifacts.json: " + e.getOriginalMessage(), e);
    }
  }

  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}
