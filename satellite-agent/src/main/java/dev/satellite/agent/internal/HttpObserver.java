package dev.satellite.agent.internal;

import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.metrics.HttpSide;
import dev.satellite.registry.HttpExchangeListener;
import dev.satellite.registry.HttpExchangeListener.Exchange;
import dev.satellite.registry.RegistryClient;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.Function;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

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

  /**
   * The Ground Control client {@code builder} makes, observed: through an application-style
   * shared OkHttp client whose network interceptor tells the listener of each exchange.
   */
  public GroundControlClient observe(GroundControlClient.Builder builder) {
    HttpExchangeListener listener = listener(HttpSide.GROUND_CONTROL);
    if (listener != null) {
      builder.sharedHttpClient(new OkHttpClient.Builder()
          .addNetworkInterceptor(chain -> tell(listener, chain)).build());
    }
    return builder.build();
  }

  private static Response tell(HttpExchangeListener listener, Interceptor.Chain chain)
      throws IOException {
    Request request = chain.request();
    long start = System.nanoTime();
    OptionalInt status = OptionalInt.empty();
    try {
      Response response = chain.proceed(request);
      status = OptionalInt.of(response.code());
      return response;
    } finally {
      listener.exchanged(new Exchange(request.method(), request.url().host(), status,
          Duration.ofNanos(System.nanoTime() - start), request.header("Authorization") != null));
    }
  }
}
