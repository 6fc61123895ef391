package dev.satellite.registry.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The limits and habits of the module's one mapper. */
class JsonTest {
  @Test
  void readsAManifestIntoATree() throws IOException {
    JsonNode manifest =
        Json.read(
            ("{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:abc\",\"size\":7023},"
                    + "\"layers\":[{\"size\":2147483648}]}")
                .getBytes(UTF_8));

    assertThat(manifest.path("config").path("size").intValue()).isEqualTo(7023);
    assertThat(manifest.path("layers").get(0).path("size").longValue()).isEqualTo(2147483648L);
  }

  @Test
  void nothingButBlanksIsTheMissingNode() throws IOException {
    assertThat(Json.read(new byte[0]).isMissingNode()).isTrue();
    assertThat(Json.read(" \n\t ".getBytes(UTF_8)).isMissingNode()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{\"a\":1} {\"b\":2}", "[1] x", "{\"a\":1}}", "{\"a\":", "[1, 2", "{a:1}"})
  void contentThatIsNotOneJsonValueFails(String json) {
    assertThatThrownBy(() -> Json.read(json.getBytes(UTF_8)))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void aLaterDuplicateKeyReplacesAnEarlierOne() throws IOException {
    assertThat(Json.read("{\"dup\":1,\"dup\":\"last\"}".getBytes(UTF_8)).path("dup").asText())
        .isEqualTo("last");
  }

  @Test
  void nestingDeeperThanTheLimitFailsBeforeTheTreeIsBuilt() throws IOException {
    int limit = Json.MAX_NESTING_DEPTH;
    String atLimit = "[".repeat(limit) + "]".repeat(limit);
    String deeper = "[".repeat(limit + 1) + "]".repeat(limit + 1);
    String hostile = "[".repeat(100_000) + "]".repeat(100_000);

    assertThat(Json.read(atLimit.getBytes(UTF_8)).isArray()).isTrue();
    assertThatThrownBy(() -> Json.read(deeper.getBytes(UTF_8)))
        .isInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("nesting depth");
    assertThatThrownBy(() -> Json.read(hostile.getBytes(UTF_8)))
        .isInstanceOf(StreamConstraintsException.class);
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

    assertThat(Json.read(in).path("tags").get(0).asText()).isEqualTo("v1");
    assertThat(closed).isFalse();
  }

  @Test
  void writesCompactUtf8() throws IOException {
    JsonNode node = Json.read("{ \"a\" : [ 1 , \"\u00e9\" ] }".getBytes(UTF_8));

    assertThat(new String(Json.write(node), UTF_8)).isEqualTo("{\"a\":[1,\"\u00e9\"]}");
  }
}
