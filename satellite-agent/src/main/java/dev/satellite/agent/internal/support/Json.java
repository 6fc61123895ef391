package dev.satellite.agent.internal.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The module's one Jackson mapper, configured once: every JSON document the agent reads (the
 * config state, Ground Control's answers and error bodies, the saved registration, a runtime's
 * {@code daemon.json}) and writes (heartbeats, the registration, {@code daemon.json}) goes through
 * {@link #MAPPER}. Documents are read as trees, so members the agent does not know are ignored: a
 * newer Ground Control may add fields to the config state or its answers.
 *
 * <p>Limits: the parser refuses nesting deeper than {@value #MAX_NESTING_DEPTH} levels (these
 * documents nest a handful deep, so a deeper one is hostile) and keeps Jackson's limits on string,
 * number and name lengths. Content after the first JSON value is an error, not ignored. The mapper
 * never closes a stream it is handed: its caller owns it. Ground Control's answers are also
 * size-capped before they are parsed (by {@code GroundControlClient}).
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

  /**
   * {@link #MAPPER}'s reader for a file the agent rewrites and must merge without loss (a
   * runtime's {@code daemon.json}): there a member named twice is an error, since either value
   * kept would drop the other.
   */
  public static final ObjectReader STRICT_READER =
      MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());

  private Json() {}
}
