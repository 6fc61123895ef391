package dev.satellite.registry.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.ErrorResponses;
import dev.satellite.registry.internal.JsonTrees;
import dev.satellite.registry.internal.Transport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Bearer tokens from the token service a registry names in its challenge: {@code GET
 * <realm>?service=<service>&scope=<scope>...}, with the client's Basic credentials when it has
 * some. Tokens are cached per scope set until {@code expires_in} (default 60 s) runs out, minus a
 * small margin. Token values never appear in messages or logs.
 */
public final class BearerTokens {
  private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
  private static final Duration MARGIN = Duration.ofSeconds(5);

  private record Token(String value, Instant expiresAt) {
    @Override
    public String toString() {
      return "Token[expiresAt=" + expiresAt + "]";
    }
  }

  private final Transport transport;
  private final Credentials credentials;
  private final HttpUrl registryUrl;
  private final Clock clock;
  private final ConcurrentHashMap<String, Token> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  public BearerTokens(
      Transport transport, Credentials credentials, HttpUrl registryUrl, Clock clock) {
    this.transport = transport;
    this.credentials = credentials;
    this.registryUrl = registryUrl;
    this.clock = clock;
  }

  /** A valid token for {@code scopes}: the cached one, or a new one from the challenge's realm. */
  public String token(Challenge challenge, List<String> scopes) {
    return tokenOtherThan(challenge, scopes, null);
  }

  /**
   * After a 401: a token for {@code scopes} that is not {@code rejected} (null when the refused
   * request carried no token). A valid token another thread fetched meanwhile is reused, so a burst
   * of concurrent 401s costs one fetch.
   */
  public String tokenOtherThan(Challenge challenge, List<String> scopes, String rejected) {
    String key = String.join(" ", scopes);
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      Token cached = cache.get(key);
      if (cached != null
          && !cached.value().equals(rejected)
          && clock.instant().isBefore(cached.expiresAt())) {
        return cached.value();
      }
      Token fresh = fetch(challenge, scopes);
      cache.put(key, fresh);
      return fresh.value();
    }
  }

  private Token fetch(Challenge challenge, List<String> scopes) {
    HttpUrl realm = realm(challenge);
    Set<String> allScopes = new LinkedHashSet<>(scopes);
    challenge.param("scope").ifPresent(allScopes::add);
    String action =
        "GET token for "
            + (allScopes.isEmpty() ? "registry" : String.join(" ", allScopes))
            + " from "
            + realm.host()
            + ":"
            + realm.port();
    HttpUrl.Builder url = realm.newBuilder();
    challenge.param("service").ifPresent(s -> url.addQueryParameter("service", s));
    allScopes.forEach(s -> url.addQueryParameter("scope", s));
    Request.Builder request = new Request.Builder().url(url.build()).get();
    if (!credentials.isAnonymous()) {
      if (registryUrl.isHttps() && !realm.isHttps()) {
        throw new RegistryException(
            action,
            "refusing to send credentials to plain-HTTP token realm of an HTTPS registry",
            null);
      }
      request.header(
          "Authorization",
          okhttp3.Credentials.basic(
              credentials.username().orElseThrow(), credentials.password().orElseThrow()));
    }
    try (Response response = transport.send(request.build(), true, action)) {
      if (response.code() != 200) {
        String hint =
            response.code() == 401 && credentials.isAnonymous()
                ? " (no credentials are configured for this registry)"
                : "";
        throw ErrorResponses.toException(action, response, hint);
      }
      return parse(response, action);
    }
  }

  private Token parse(Response response, String action) {
    try {
      JsonNode json = JsonTrees.read(response.body().byteStream());
      String value = json.path("token").asText("");
      if (value.isEmpty()) {
        value = json.path("access_token").asText("");
      }
      if (value.isEmpty()) {
        throw new RegistryException(action, "token response has no token", null);
      }
      long seconds = json.path("expires_in").asLong(0);
      Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
      return new Token(value, clock.instant().plus(lifetime).minus(MARGIN));
    } catch (IOException e) {
      throw new RegistryException(action, "unreadable token response: " + e.getMessage(), e);
    }
  }

  private static HttpUrl realm(Challenge challenge) {
    String realm = challenge.param("realm").orElse("");
    HttpUrl url = HttpUrl.parse(realm);
    if (url == null) {
      throw new RegistryException(
          "authenticate", "Bearer challenge has no valid realm URL: '" + realm + "'", null);
    }
    return url;
  }
}
