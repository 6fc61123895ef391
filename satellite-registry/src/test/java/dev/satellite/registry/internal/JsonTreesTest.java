package dev.satellite.registry.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsonTrees} makes the trees {@code ObjectMapper.readTree} makes, without one. */
class JsonTreesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"digest\":\"sha256:abc\",\"size\":7023},"
          + "\"layers\":[{\"size\":32654,\"annotations\":{\"a\":\"b\"}},{\"size\":16724}]}",
      "[1, -2, 2147483648, -9223372036854775808, 92233720368547758070, 1.5, -0.25e-3, 1E400]",
      "{\"a\":{\"b\":[[],{},[{\"c\":null}]]},\"t\":true,\"f\":false,\"s\":\"\\u00e9\\n\\\"\"}",
      "{\"dup\":1,\"dup\":\"last\"}",
      "\"just a string\"",
      "42",
      "null",
      "  [ ]  ",
  })
  void readsWhatObjectMapperReads(String json) throws IOException {
    JsonNode expected = MAPPER.readTree(json);

    JsonNode fromBytes = JsonTrees.read(json.getBytes(UTF_8));
    JsonNode fromStream = JsonTrees.read(new ByteArrayInputStream(json.getBytes(UTF_8)));

    assertThat(fromBytes).isEqualTo(expected);
    assertThat(fromStream).isEqualTo(expected);
    assertThat(nodeTypes(fromBytes)).isEqualTo(nodeTypes(expected));
  }

  @Test
  void nothingButBlanksIsTheMissingNode() throws IOException {
    assertThat(JsonTrees.read(new byte[0]).isMissingNode()).isTrue();
    assertThat(JsonTrees.read(" \n\t ".getBytes(UTF_8)).isMissingNode()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{\"a\":1} {\"b\":2}", "[1] x", "{\"a\":1}}", "{\"a\":", "[1, 2", "{a:1}"})
  void contentThatIsNotOneJsonValueFails(String json) {
    assertThatThrownBy(() -> JsonTrees.read(json.getBytes(UTF_8)))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void nestingDeeperThanTheParserAllowsFailsWithoutExhaustingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);

    assertThatThrownBy(() -> JsonTrees.read(deep.getBytes(UTF_8)))
        .isInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void leavesTheStreamOpen() throws IOException {
    AtomicBoolean closed = new AtomicBoolean();
    ByteArrayInputStream in =
        new ByteArrayInputStream("{\"tags\":[\"v1\"]}".getBytes(UTF_8)) {
          @Override
          public void close() {
            closed.set(true);
          }
        };

    assertThat(JsonTrees.read(in).path("tags").get(0).asText()).isEqualTo("v1");
    assertThat(closed).isFalse();
  }

  /** The node classes of a tree, depth first: IntNode and LongNode are equal to neither. */
  private static String nodeTypes(JsonNode node) {
    StringBuilder out = new StringBuilder(node.getClass().getSimpleName());
    node.forEach(child -> out.append('(').append(nodeTypes(child)).append(')'));
    return out.toString();
  }
}
