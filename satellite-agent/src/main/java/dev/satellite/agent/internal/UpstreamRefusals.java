package dev.satellite.agent.internal;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Watches the upstream client's exchanges (a network interceptor) for what a pass found of the
 * robot account: an authenticated request ({@code Authorization} sent, Basic or Bearer, to the
 * registry or its token service) answered {@code 401} means refused, one answered {@code 2xx}
 * accepted. A {@code 401} to a request without credentials is only a Bearer challenge, and says
 * nothing. {@link #take} gives the outcome of the last such exchange since the previous call, so
 * a token that ran out and was fetched again during a pass does not count as a refusal.
 */
public final class UpstreamRefusals implements Interceptor {
  private final AtomicReference<Optional<Boolean>> last = new AtomicReference<>(Optional.empty());

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    if (chain.request().header("Authorization") != null) {
      if (response.code() == 401) {
        last.set(Optional.of(true));
      } else if (response.isSuccessful()) {
        last.set(Optional.of(false));
      }
    }
    return response;
  }

  /**
   * Whether the last authenticated upstream exchange since the previous call was refused; empty
   * when there was none. Starts over.
   */
  public Optional<Boolean> take() {
    return last.getAndSet(Optional.empty());
  }
}
