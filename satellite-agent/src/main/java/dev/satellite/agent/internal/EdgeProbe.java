package dev.satellite.agent.internal;

import dev.satellite.registry.RegistryClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Asks the edge registry the satellite copies to now whether it answers ({@code GET /v2/}), once,
 * without retries and within a short timeout, so a readiness probe never waits on the copy
 * client's backoff. The probe's client is derived from the edge client (same credentials and TLS,
 * same connection pool) and closed after each check.
 */
public record EdgeProbe(Supplier<RegistryClient> edge, Duration timeout) {
  /** Empty when the edge answered 200; otherwise why not. */
  public Optional<String> check() {
    RegistryClient current = edge.get();
    if (current == null) {
      return Optional.of("no edge registry is known yet");
    }
    try (RegistryClient probe = current.newBuilder().maxRetries(0).connectTimeout(timeout)
        .readTimeout(timeout).build()) {
      probe.ping();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(e.getMessage());
    }
  }
}
