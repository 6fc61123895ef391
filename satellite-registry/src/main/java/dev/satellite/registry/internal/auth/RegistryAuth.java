package dev.satellite.registry.internal.auth;

import dev.satellite.registry.Credentials;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;

/**
 * Chooses the {@code Authorization} header of requests to one registry. Before the registry has
 * asked for Bearer tokens, Basic credentials (if any) are sent pre-emptively; once it has answered
 * a 401 with a Bearer challenge, every request carries a token for its scopes. The header goes only
 * to URLs of the registry's own origin (scheme, host, port).
 */
public final class RegistryAuth {
  private static final String BEARER = "Bearer ";

  private final Credentials credentials;
  private final HttpUrl registryUrl;
  private final BearerTokens tokens;
  private final AtomicReference<Challenge> bearer = new AtomicReference<>();

  public RegistryAuth(Credentials credentials, HttpUrl registryUrl, BearerTokens tokens) {
    this.credentials = credentials;
    this.registryUrl = registryUrl;
    this.tokens = tokens;
  }

  /** The header value for a request needing {@code scopes}, or null for none. */
  public String authorization(List<String> scopes) {
    Challenge challenge = bearer.get();
    if (challenge != null) {
      return BEARER + tokens.token(challenge, scopes);
    }
    if (credentials.isAnonymous()) {
      return null;
    }
    return okhttp3.Credentials.basic(
        credentials.username().orElseThrow(), credentials.password().orElseThrow());
  }

  /**
   * Reacts to a 401 to a request sent with {@code sentAuthorization} (may be null): when it carries
   * a Bearer challenge, remembers it and makes sure a token other than the refused one is cached.
   * Returns false when there is nothing to do but fail (no Bearer challenge).
   */
  public boolean onUnauthorized(
      List<Challenge> challenges, List<String> scopes, String sentAuthorization) {
    String rejected =
        sentAuthorization != null && sentAuthorization.startsWith(BEARER)
            ? sentAuthorization.substring(BEARER.length())
            : null;
    for (Challenge challenge : challenges) {
      if (challenge.isBearer()) {
        bearer.set(challenge.withoutScope());
        tokens.tokenOtherThan(challenge, scopes, rejected);
        return true;
      }
    }
    return false;
  }

  /** True when {@code url} has the registry's scheme, host and port. */
  public boolean isRegistryOrigin(HttpUrl url) {
    return url.scheme().equals(registryUrl.scheme())
        && url.host().equalsIgnoreCase(registryUrl.host())
        && url.port() == registryUrl.port();
  }

  public Credentials credentials() {
    return credentials;
  }
}
