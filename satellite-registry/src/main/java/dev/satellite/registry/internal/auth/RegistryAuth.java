package dev.satellite.registry.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.ErrorResponses;
import dev.satellite.registry.internal.Json;
import dev.satellite.registry.internal.RegistryCaller;
import dev.satellite.registry.internal.RegistryRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Challenge;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Authenticates the requests of one registry client, as an OkHttp application interceptor.
 *
 * <p>Before the registry has asked for Bearer tokens, Basic credentials (if any) are sent
 * pre-emptively; once it has answered a 401 with a Bearer challenge, every request carries a token
 * for its scopes, fetched from the challenge's realm ({@code GET
 * <realm>?service=<service>&scope=<scope>...}, with the Basic credentials when there are some) and
 * cached per scope set until {@code expires_in} (default 60 s) runs out, minus a small margin. A 401
 * to a token gets one fresh token and one more try; a second 401 is the answer. Token values never
 * appear in messages or logs.
 *
 * <p>Only requests tagged with a {@link RegistryRequest} to the registry's own origin (scheme, host,
 * port) get the header. Because this is an application interceptor, it adds the header once, to
 * the request as the client made it; OkHttp then follows redirects and removes the header from a
 * hop to another host, scheme or port. (A network interceptor would see every hop and would put
 * the header back on a redirect to a storage host.) A 401 from a host other than the registry is
 * returned as it is: no token is fetched for it.
 *
 * <p>The credentials are read at each request, so a rotated secret applies at once; a Basic request
 * refused with credentials replaced meanwhile is sent once more with the new ones.
 */
public final class RegistryAuth implements Interceptor {
  private static final String BEARER = "Bearer ";
  private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
  private static final Duration MARGIN = Duration.ofSeconds(5);

  private record Token(String value, Instant expiresAt) {
    @Override
    public String toString() {
      return "Token[expiresAt=" + expiresAt + "]";
    }
  }

  private final Supplier<Credentials> credentials;
  private final HttpUrl registryUrl;
  private final Clock clock;
  private final Call.Factory tokenCalls;
  private final AtomicReference<Challenge> bearer = new AtomicReference<>();
  private final ConcurrentHashMap<String, Token> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * @param tokenCalls sends token requests (which this interceptor leaves alone: they carry no
   *     {@link RegistryRequest})
   */
  public RegistryAuth(
      Supplier<Credentials> credentials,
      HttpUrl registryUrl,
      Clock clock,
      Call.Factory tokenCalls) {
    this.credentials = credentials;
    this.registryUrl = registryUrl;
    this.clock = clock;
    this.tokenCalls = tokenCalls;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    RegistryRequest operation = request.tag(RegistryRequest.class);
    if (operation == null || !isRegistryOrigin(request.url())) {
      return chain.proceed(request);
    }
    boolean refreshed = false;
    boolean resentWithNewCredentials = false;
    while (true) {
      Credentials used = credentials.get();
      String authorization = authorization(used, operation.scopes());
      Request sent =
          authorization == null
              ? request
              : request.newBuilder().header("Authorization", authorization).build();
      Response response = chain.proceed(sent);
      if (response.code() != 401
          || !operation.replayable()
          || !isRegistryOrigin(response.request().url())) {
        return response;
      }
      boolean sentBearer = authorization != null && authorization.startsWith(BEARER);
      if (!sentBearer && !resentWithNewCredentials && !credentials.get().equals(used)) {
        // the secret was replaced while this request was on its way: once more with the new one
        response.close();
        resentWithNewCredentials = true;
        continue;
      }
      Optional<Challenge> challenge = bearerChallenge(response);
      if ((sentBearer && refreshed) || challenge.isEmpty()) {
        return response;
      }
      response.close();
      bearer.set(withoutScope(challenge.get()));
      String rejected = sentBearer ? authorization.substring(BEARER.length()) : null;
      tokenOtherThan(challenge.get(), operation.scopes(), rejected);
      refreshed |= sentBearer;
    }
  }

  /** The first Bearer challenge of a 401 ({@link Response#challenges()}). */
  public static Optional<Challenge> bearerChallenge(Response response) {
    return response.challenges().stream()
        .filter(c -> c.scheme().equalsIgnoreCase("Bearer"))
        .findFirst();
  }

  /** The credentials in use now. */
  public Credentials credentials() {
    return credentials.get();
  }

  /** The header value for a request needing {@code scopes}, or null for none. */
  private String authorization(Credentials current, List<String> scopes) {
    Challenge challenge = bearer.get();
    if (challenge != null) {
      return BEARER + tokenOtherThan(challenge, scopes, null);
    }
    return current.isAnonymous() ? null : basic(current);
  }

  private static String basic(Credentials current) {
    return okhttp3.Credentials.basic(
        current.username().orElseThrow(), current.password().orElseThrow());
  }

  private boolean isRegistryOrigin(HttpUrl url) {
    return url.scheme().equals(registryUrl.scheme())
        && url.host().equalsIgnoreCase(registryUrl.host())
        && url.port() == registryUrl.port();
  }

  /** The challenge without its {@code scope}: what applies to every later request. */
  private static Challenge withoutScope(Challenge challenge) {
    Map<String, String> params = new HashMap<>(challenge.authParams());
    params.remove("scope");
    return new Challenge(challenge.scheme(), params);
  }

  /**
   * A valid token for {@code scopes} that is not {@code rejected} (null when none was refused): the
   * cached one, or a new one from the challenge's realm. A valid token another thread fetched
   * meanwhile is reused, so a burst of concurrent 401s costs one fetch.
   */
  private String tokenOtherThan(Challenge challenge, List<String> scopes, String rejected) {
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
    Optional.ofNullable(challenge.authParams().get("scope")).ifPresent(allScopes::add);
    String action =
        "GET token for "
            + (allScopes.isEmpty() ? "registry" : String.join(" ", allScopes))
            + " from "
            + realm.host()
            + ":"
            + realm.port();
    HttpUrl.Builder url = realm.newBuilder();
    Optional.ofNullable(challenge.authParams().get("service"))
        .ifPresent(s -> url.addQueryParameter("service", s));
    allScopes.forEach(s -> url.addQueryParameter("scope", s));
    Request.Builder request = new Request.Builder().url(url.build()).get();
    Credentials current = credentials.get();
    if (!current.isAnonymous()) {
      if (registryUrl.isHttps() && !realm.isHttps()) {
        throw new RegistryException(
            action,
            "refusing to send credentials to plain-HTTP token realm of an HTTPS registry",
            null);
      }
      request.header("Authorization", basic(current));
    }
    try (Response response = tokenCalls.newCall(request.build()).execute()) {
      if (response.code() != 200) {
        String hint =
            response.code() == 401 && current.isAnonymous()
                ? " (no credentials are configured for this registry)"
                : "";
        throw ErrorResponses.toException(action, response, hint);
      }
      return parse(response, action);
    } catch (IOException e) {
      throw new RegistryException(action, RegistryCaller.describe(e, realm), e);
    }
  }

  private Token parse(Response response, String action) {
    try {
      JsonNode json = Json.read(response.body().byteStream());
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
    String realm = challenge.realm() == null ? "" : challenge.realm();
    HttpUrl url = HttpUrl.parse(realm);
    if (url == null) {
      throw new RegistryException(
          "authenticate", "Bearer challenge has no valid realm URL: '" + realm + "'", null);
    }
    return url;
  }
}
