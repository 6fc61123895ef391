package dev.satellite.registry.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads JSON documents (manifests, state artifacts, error bodies, tokens, tag lists) into Jackson
 * trees with the streaming parser alone. The trees are those {@code ObjectMapper.readTree} makes
 * (an integer that fits an {@code int} is an {@code IntNode}, a later duplicate key replaces an
 * earlier one), under the same parser limits (nesting depth, string and number lengths), but no
 * {@code ObjectMapper} is built: its set-up loads some 300 classes, which a new process paid for
 * inside its first sync pass. Content after the first value is an error, not ignored. Nesting is
 * followed with a stack of its own, not by recursion.
 */
public final class JsonTrees {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /**
   * The JSON value {@code json} holds; {@link MissingNode} when it holds none (empty or blank).
   *
   * @throws com.fasterxml.jackson.core.JsonProcessingException when it is not one JSON value
   */
  public static JsonNode read(byte[] json) throws IOException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      return read(parser);
    }
  }

  /** As {@link #read(byte[])}, from a stream it leaves open. */
  public static JsonNode read(InputStream json) throws IOException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
      return read(parser);
    }
  }

  private static JsonNode read(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      return MissingNode.getInstance();
    }
    JsonNode root = value(parser, first);
    Deque<ContainerNode<?>> open = new ArrayDeque<>();
    if (root.isContainerNode()) {
      open.push((ContainerNode<?>) root);
    }
    while (!open.isEmpty()) {
      JsonToken token = parser.nextToken();
      if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
        open.pop();
        continue;
      }
      String name = null;
      if (token == JsonToken.FIELD_NAME) {
        name = parser.currentName();
        token = parser.nextToken();
      }
      JsonNode node = value(parser, token);
      ContainerNode<?> parent = open.peek();
      if (parent instanceof ObjectNode object) {
        object.set(name, node);
      } else {
        ((ArrayNode) parent).add(node);
      }
      if (node.isContainerNode()) {
        open.push((ContainerNode<?>) node);
      }
    }
    if (parser.nextToken() != null) {
      throw new JsonParseException(
          parser, "content after the JSON value: " + parser.currentToken());
    }
    return root;
  }

  /** The node for a scalar token, or an empty container for a start token. */
  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      throw new JsonParseException(parser, "unexpected end of the JSON content");
    }
    return switch (token) {
      case START_OBJECT -> NODES.objectNode();
      case START_ARRAY -> NODES.arrayNode();
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> NODES.numberNode(parser.getIntValue());
        case LONG -> NODES.numberNode(parser.getLongValue());
        default -> NODES.numberNode(parser.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new JsonParseException(parser, "unexpected token " + token);
    };
  }
}
