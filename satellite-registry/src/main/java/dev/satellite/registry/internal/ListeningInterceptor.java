package dev.satellite.registry.internal;

import dev.satellite.registry.HttpExchangeListener;
import dev.satellite.registry.HttpExchangeListener.Exchange;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The OkHttp network interceptor that tells an {@link HttpExchangeListener} of each exchange: its
 * status once the response headers arrived, or no status when it failed without a response (the
 * failure is passed on unchanged).
 */
public final class ListeningInterceptor implements Interceptor {
  private final HttpExchangeListener listener;

  public ListeningInterceptor(HttpExchangeListener listener) {
    this.listener = listener;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    long start = System.nanoTime();
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException | RuntimeException e) {
      tell(request, OptionalInt.empty(), start);
      throw e;
    }
    tell(request, OptionalInt.of(response.code()), start);
    return response;
  }

  private void tell(Request request, OptionalInt status, long start) {
    listener.exchanged(new Exchange(request.method(), request.url().host(), status,
        Duration.ofNanos(System.nanoTime() - start), request.header("Authorization") != null));
  }
}
