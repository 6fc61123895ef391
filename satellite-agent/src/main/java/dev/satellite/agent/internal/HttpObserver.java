package dev.satellite.agent.internal;

import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.metrics.HttpSide;
import dev.satellite.registry.HttpExchangeListener;
import dev.satellite.registry.RegistryClient;
import java.util.function.Function;

/**
 * Where a satellite's HTTP clients get the listener that observes their requests, one per {@link
 * HttpSide}; {@link #NONE} observes nothing. Every client the satellite builds or derives goes
 * through here, so no side is missed.
 */
public record HttpObserver(Function<HttpSide, HttpExchangeListener> listeners) {
  public static final HttpObserver NONE = new HttpObserver(side -> null);

  /** The listener for {@code side}, or null. */
  public HttpExchangeListener listener(HttpSide side) {
    return listeners.apply(side);
  }

  /** {@code builder}, observed as {@code side}. */
  public RegistryClient.Builder observe(RegistryClient.Builder builder, HttpSide side) {
    HttpExchangeListener listener = listener(side);
    return listener == null ? builder : builder.exchangeListener(listener);
  }

  /** The Ground Control client {@code builder} makes, observed. */
  public GroundControlClient observe(GroundControlClient.Builder builder) {
    HttpExchangeListener listener = listener(HttpSide.GROUND_CONTROL);
    return (listener == null ? builder : builder.exchangeListener(listener)).build();
  }
}
