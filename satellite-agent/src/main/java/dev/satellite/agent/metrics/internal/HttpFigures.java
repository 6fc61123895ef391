package dev.satellite.agent.metrics.internal;

import dev.satellite.agent.metrics.HttpSide;
import dev.satellite.registry.HttpExchangeListener;
import dev.satellite.registry.HttpExchangeListener.Exchange;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and times HTTP exchanges by {@link HttpSide} and status class ({@code 1xx} ... {@code 5xx},
 * {@code io_error} for an exchange that ended without a response). One exchange listener per side
 * ({@link #listener}): it hears of every exchange on the wire, retries and authentication round
 * trips included. The time is from sending the request to receiving the response headers (a
 * blob's body streams afterwards, at the copy's pace).
 */
public final class HttpFigures {
  /** The status classes, the {@code status} tag's values. */
  public static final List<String> STATUSES =
      List.of("1xx", "2xx", "3xx", "4xx", "5xx", "io_error");

  private final Map<HttpSide, Map<String, Figure>> figures = new EnumMap<>(HttpSide.class);
  private final Map<HttpSide, HttpExchangeListener> listeners = new EnumMap<>(HttpSide.class);

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
      listeners.put(side, exchange -> record(side, exchange));
    }
  }

  public Figure figure(HttpSide side, String status) {
    return figures.get(side).get(status);
  }

  /** The listener that counts {@code side}'s exchanges. */
  public HttpExchangeListener listener(HttpSide side) {
    return listeners.get(side);
  }

  private void record(HttpSide side, Exchange exchange) {
    int code = exchange.status().orElse(0);
    String status = code >= 100 && code < 600 ? (code / 100) + "xx" : "io_error";
    figure(side, status).record(exchange.elapsed().toNanos());
  }
}
