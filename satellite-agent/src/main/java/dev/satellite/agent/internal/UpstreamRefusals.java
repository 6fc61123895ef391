package dev.satellite.agent.internal;

import dev.satellite.registry.HttpExchangeListener;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches the upstream client's exchanges for what a pass found of the robot account: an
 * authenticated request ({@code Authorization} sent, Basic or Bearer, to the registry or its token
 * service) answered {@code 401} means refused, one answered {@code 2xx} accepted. A {@code 401} to
 * a request without credentials is only a Bearer challenge, and says nothing. {@link #take} gives
 * the outcome of the last such exchange since the previous call, so a token that ran out and was
 * fetched again during a pass does not count as a refusal.
 */
public final class UpstreamRefusals implements HttpExchangeListener {
  private final AtomicReference<Optional<Boolean>> last = new AtomicReference<>(Optional.empty());

  @Override
  public void exchanged(Exchange exchange) {
    if (!exchange.authenticated() || exchange.status().isEmpty()) {
      return;
    }
    int status = exchange.status().getAsInt();
    if (status == 401) {
      last.set(Optional.of(true));
    } else if (status >= 200 && status < 300) {
      last.set(Optional.of(false));
    }
  }

  /**
   * Whether the last authenticated upstream exchange since the previous call was refused; empty
   * when there was none. Starts over.
   */
  public Optional<Boolean> take() {
    return last.getAndSet(Optional.empty());
  }
}
