package dev.satellite.registry.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * The module's one Jackson mapper, configured once: every JSON document the registry side reads
 * (manifests, state artifacts, OCI error bodies, token responses, tag lists) and writes (state
 * artifacts, a platform-filtered index) goes through {@link #MAPPER}.
 *
 * <p>Limits: each document is size-capped before it is parsed (by its reader: manifests, {@code
 * artifacts.json}, error bodies); the parser refuses nesting deeper than {@value
 * #MAX_NESTING_DEPTH} levels (registry documents nest a handful deep, so a deeper one is hostile)
 * and keeps Jackson's limits on string, number and name lengths. Content after the first JSON value
 * is an error, not ignored. The mapper never closes a stream it is handed: its caller owns it.
 */
public final class Json {
  /** The deepest nesting of objects and arrays a document may have. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** The mapper; thread-safe, configured here and nowhere else. */
  public static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                  .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /**
   * The JSON value {@code json} holds; a missing node when it holds none (empty or blank).
   *
   * @throws JsonProcessingException when it is not one JSON value within the limits
   */
  public static JsonNode read(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  /** As {@link #read(byte[])}, from a stream it leaves open. */
  public static JsonNode read(InputStream json) throws IOException {
    return MAPPER.readTree(json);
  }

  /**
   * {@code node} as compact UTF-8 JSON.
   *
   * @throws JsonProcessingException when the tree cannot be written (it holds a value that is
   *     not JSON)
   */
  public static byte[] write(JsonNode node) throws JsonProcessingException {
    return MAPPER.writeValueAsBytes(node);
  }
}
