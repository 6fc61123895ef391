package dev.satellite.persistence.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The module's one Jackson mapper, configured once: the checkpoint streams through its parsers
 * and generators ({@link CheckpointReader}, {@link CheckpointWriter}), upload records and the
 * byte total are read and written as trees with it.
 *
 * <p>Limits: the parser refuses nesting deeper than {@value #MAX_NESTING_DEPTH} levels (these
 * files nest at most five deep, so a deeper one is damage) and keeps Jackson's limits on string,
 * number and name lengths. Content after the first JSON value is an error, not ignored. Neither
 * the mapper nor its parsers and generators close a stream they are handed: the atomic file
 * writer owns the file's stream, and syncs it after the content is written.
 */
public final class Json {
  /** The deepest nesting of objects and arrays a file may have. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** The mapper; thread-safe, configured here and nowhere else. */
  public static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                  .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                  .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}
}
