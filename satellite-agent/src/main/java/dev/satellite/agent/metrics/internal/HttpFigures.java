package dev.satellite.agent.metrics.internal;

import dev.satellite.agent.metrics.HttpSide;
import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts and times HTTP exchanges by {@link HttpSide} and status class ({@code 1xx} ... {@code 5xx},
 * {@code io_error} for an exchange that ended without a response). One network interceptor per side
 * ({@link #interceptor}): it sees every exchange on the wire, retries and authentication round
 * trips included. The time is from sending the request to receiving the response headers (a
 * blob's body streams afterwards, at the copy's pace).
 */
public final class HttpFigures {
  /** The status classes, the {@code status} tag's values. */
  public static final List<String> STATUSES =
      List.of("1xx", "2xx", "3xx", "4xx", "5xx", "io_error");

  private final Map<HttpSide, Map<String, Figure>> figures = new EnumMap<>(HttpSide.class);
  private final Map<HttpSide, Interceptor> interceptors = new EnumMap<>(HttpSide.class);

  /** The count and total time of one side's exchanges of one status class. */
  public static final class Figure {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    public long count() {
      return count.sum();
    }

    public double totalNanos() {
      return nanos.sum();
    }

    void record(long elapsed) {
      count.increment();
      nanos.add(elapsed);
    }
  }

  public HttpFigures() {
    for (HttpSide side : HttpSide.values()) {
      Map<String, Figure> bySide = new LinkedHashMap<>();
      STATUSES.forEach(status -> bySide.put(status, new Figure()));
      figures.put(side, bySide);
      interceptors.put(side, chain -> observe(side, chain));
    }
  }

  public Figure figure(HttpSide side, String status) {
    return figures.get(side).get(status);
  }

  /** The network interceptor that counts {@code side}'s exchanges. */
  public Interceptor interceptor(HttpSide side) {
    return interceptors.get(side);
  }

  private Response observe(HttpSide side, Interceptor.Chain chain) throws IOException {
    long start = System.nanoTime();
    try {
      Response response = chain.proceed(chain.request());
      int code = response.code();
      String status = code >= 100 && code < 600 ? (code / 100) + "xx" : "io_error";
      figure(side, status).record(System.nanoTime() - start);
      return response;
    } catch (IOException | RuntimeException e) {
      figure(side, "io_error").record(System.nanoTime() - start);
      throw e;
    }
  }
}
