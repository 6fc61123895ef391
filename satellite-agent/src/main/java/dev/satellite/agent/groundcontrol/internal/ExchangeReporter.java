package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.registry.HttpExchangeListener;
import dev.satellite.registry.HttpExchangeListener.Exchange;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The network interceptor of a Ground Control client that tells an {@link HttpExchangeListener}
 * of each exchange, as the registry clients' own do: its status once the response headers
 * arrived, or no status when it failed without a response (the failure is passed on unchanged).
 */
public final class ExchangeReporter implements Interceptor {
  private final HttpExchangeListener listener;

  public ExchangeReporter(HttpExchangeListener listener) {
    this.listener = listener;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
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
