package dev.satellite.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Hears of each HTTP exchange a client makes on the wire: every retry and every authentication
 * round trip is one exchange of its own. Called on the thread that made the request, once its
 * response headers arrived or it failed without a response; the body, if any, is read afterwards,
 * at the caller's pace. Must be quick and thread-safe, and must not throw.
 *
 * <p>Install it with {@link RegistryClient.Builder#exchangeListener}.
 */
@FunctionalInterface
public interface HttpExchangeListener {

  /** One exchange as the listener sees it. */
  void exchanged(Exchange exchange);

  /**
   * One request and the answer to it.
   *
   * @param method the request method ({@code GET}, {@code HEAD}, {@code PUT}, ...)
   * @param host the host the request went to (after redirects: the host it was redirected to)
   * @param status the response status, empty when the exchange ended without a response (a
   *     connection failed, a timeout)
   * @param elapsed from sending the request to receiving the response headers, or to the failure
   * @param authenticated whether the request carried credentials (an {@code Authorization}
   *     header): a {@code 401} to such a request refuses them, one to a request without is only a
   *     challenge
   */
  record Exchange(String method, String host, OptionalInt status, Duration elapsed,
      boolean authenticated) {
    public Exchange {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(elapsed, "elapsed");
    }
  }
}
