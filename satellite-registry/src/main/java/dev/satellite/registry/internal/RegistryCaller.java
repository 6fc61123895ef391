package dev.satellite.registry.internal;

import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.auth.Challenge;
import dev.satellite.registry.internal.auth.RegistryAuth;
import dev.satellite.registry.internal.auth.WwwAuthenticate;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that sends registry requests: adds the {@code Authorization} header (to the
 * registry's own origin only), answers Bearer challenges (fetch a token, re-send; on a second 401
 * refresh the token once, then give up), follows redirects itself (dropping the header when the
 * target is another origin, refusing HTTPS to HTTP), retries through {@link Transport}, asks a GET
 * again when its body breaks off before the end, and maps unexpected statuses to {@link
 * RegistryException}.
 */
public final class RegistryCaller {
  private static final int MAX_REDIRECTS = 5;

  /** A GET whose body breaks off (connection lost mid-body) is asked again, this often in all. */
  private static final int BODY_READ_ATTEMPTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(RegistryCaller.class);

  private final Transport transport;
  private final RegistryAuth auth;
  private final String registry;

  public RegistryCaller(Transport transport, RegistryAuth auth, String registry) {
    this.transport = transport;
    this.auth = auth;
    this.registry = registry;
  }

  /** {@code host[:port]} of the registry, for messages. */
  public String registry() {
    return registry;
  }

  /** Reads a response whose status was expected. */
  @FunctionalInterface
  public interface Handler<T> {
    T handle(Response response) throws java.io.IOException;
  }

  /**
   * Sends {@code request}; when the final status is in {@code expected}, hands the response to
   * {@code handler} and closes it.
   *
   * @throws RegistryException for any other status, or when the request could not be sent
   */
  public <T> T call(RegistryRequest request, Set<Integer> expected, Handler<T> handler) {
    for (int attempt = 1; ; attempt++) {
      try (Response response = execute(request)) {
        if (!expected.contains(response.code())) {
          throw failure(request, response);
        }
        return handler.handle(response);
      } catch (java.io.IOException e) {
        if (!request.method().equals("GET") || attempt >= BODY_READ_ATTEMPTS) {
          throw new RegistryException(
              request.action(), "reading the response failed: " + e.getMessage(), e);
        }
        LOG.debug(
            "{}: reading the response failed ({}), asking again", request.action(), e.toString());
      }
    }
  }

  /** The exception for an unexpected {@code response} to {@code request}. */
  public RegistryException failure(RegistryRequest request, Response response) {
    String hint = "";
    if (response.code() == 401 && auth.credentials().isAnonymous()) {
      hint = " (no credentials are configured for " + registry + ")";
    } else if (response.code() == 401 && refusedFreshToken(request, response)) {
      hint = " (a token fetched anew for it was refused too)";
    }
    return ErrorResponses.toException(request.action(), response, hint);
  }

  /**
   * Whether {@code response} is a Bearer challenge to a token {@link #execute} had just fetched:
   * it fetches a new token on the first such challenge to a replayable request, and returns the
   * response only when the new token is refused as well.
   */
  private static boolean refusedFreshToken(RegistryRequest request, Response response) {
    String sent = response.request().header("Authorization");
    return request.replayable()
        && sent != null
        && sent.startsWith("Bearer ")
        && WwwAuthenticate.parse(response.headers("WWW-Authenticate")).stream()
            .anyMatch(Challenge::isBearer);
  }

  /**
   * Sends {@code request} with auth, redirects and retries, and returns the final response whatever
   * its status. The caller closes it.
   *
   * @throws RegistryException when no response could be had
   */
  public Response execute(RegistryRequest request) {
    boolean refreshed = false;
    while (true) {
      String authorization = auth.authorization(request.scopes());
      Response response = followRedirects(request, authorization);
      if (response.code() != 401 || !request.replayable()) {
        return response;
      }
      boolean sentBearer = authorization != null && authorization.startsWith("Bearer ");
      if (sentBearer && refreshed) {
        return response;
      }
      var challenges = WwwAuthenticate.parse(response.headers("WWW-Authenticate"));
      if (challenges.stream().noneMatch(Challenge::isBearer)) {
        return response;
      }
      response.close();
      auth.onUnauthorized(challenges, request.scopes(), authorization);
      refreshed |= sentBearer;
    }
  }

  private Response followRedirects(RegistryRequest request, String authorization) {
    HttpUrl url = request.url();
    String method = request.method();
    RequestBody body = request.body();
    for (int hop = 0; ; hop++) {
      Request.Builder builder =
          new Request.Builder().url(url).headers(request.headers()).method(method, body);
      if (authorization != null && auth.isRegistryOrigin(url)) {
        builder.header("Authorization", authorization);
      }
      Response response = transport.send(builder.build(), request.replayable(), request.action());
      String location = response.header("Location");
      if (!isRedirect(response.code()) || location == null) {
        return response;
      }
      response.close();
      HttpUrl next = url.resolve(location);
      if (next == null) {
        throw new RegistryException(
            request.action(), "redirected to an invalid location '" + location + "'", null);
      }
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryException(
            request.action(),
            "more than " + MAX_REDIRECTS + " redirects, last to " + next.host(),
            null);
      }
      if (url.isHttps() && !next.isHttps()) {
        throw new RegistryException(
            request.action(),
            "refusing redirect from HTTPS to plain HTTP at " + next.host() + ":" + next.port(),
            null);
      }
      if (response.code() == 303 && !method.equals("HEAD")) {
        method = "GET";
        body = null;
      }
      if (body != null && !request.replayable()) {
        throw new RegistryException(
            request.action(),
            "redirected to " + next.host() + " but the streamed body cannot be re-sent",
            null);
      }
      url = next;
    }
  }

  private static boolean isRedirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }
}
