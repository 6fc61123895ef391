package dev.satellite.registry.internal;

import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.internal.auth.RegistryAuth;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that sends registry requests, over OkHttp clients that do the protocol work in
 * interceptors: {@link RegistryAuth} (Basic, Bearer tokens, one refresh on 401), {@link
 * RetryInterceptor} (backoff, {@code Retry-After}), {@link RedirectGuard} and {@link
 * UnansweredAttempts} (attempts whose outcome is unknown); OkHttp follows the
 * redirects and drops {@code Authorization} on the way to another host. This class maps what comes
 * back: an unexpected status, or a failure to get one, becomes a {@link RegistryException} saying
 * what was being done; a GET whose body breaks off before the end is asked again (at most {@code
 * BODY_READ_ATTEMPTS} times in all, within the call's {@link Attempts}).
 *
 * <p>There are two OkHttp clients, sharing one connection pool and dispatcher: one for {@code
 * http://} URLs and one for {@code https://}. Neither follows a redirect to the other scheme
 * itself. A redirect from HTTP to HTTPS is followed here, on the HTTPS client; one from HTTPS to
 * HTTP is refused. The HTTPS client is built when first needed, unless the registry is reached over
 * HTTPS or TLS options were given (then at once, so that an unusable certificate file fails the
 * client's construction): a client of a plain-HTTP registry, typically an edge registry on
 * loopback, does not pay for TLS set-up (the JDK's CA store, an SSL context), a noticeable share of
 * a short process, unless a redirect leads it to an {@code https://} URL.
 */
public final class RegistryCaller implements Call.Factory {
  /**
   * A GET whose body breaks off (connection lost mid-body) is asked again, this often in all, and
   * no more often than the call's {@link Attempts} allow.
   */
  private static final int BODY_READ_ATTEMPTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(RegistryCaller.class);

  private final String registry;
  private final RegistryAuth auth;
  private final RetryInterceptor retry;
  private final OkHttpClient cleartext;
  private final Consumer<OkHttpClient.Builder> tlsSetup;
  private volatile OkHttpClient secure;
  private final Map<Call, Boolean> calls = new WeakHashMap<>();

  /**
   * @param configured the builder with timeouts set, from the shared base client
   * @param retry the retry policy, applied inside authentication
   * @param tlsSetup applies the TLS settings to a builder derived from {@code configured}
   * @param tlsNow build the HTTPS client now rather than on first use
   */
  public RegistryCaller(
      OkHttpClient.Builder configured,
      RetryInterceptor retry,
      Consumer<OkHttpClient.Builder> tlsSetup,
      boolean tlsNow,
      Supplier<Credentials> credentials,
      HttpUrl registryUrl,
      Clock clock) {
    this.registry = registryUrl.host() + ":" + registryUrl.port();
    this.auth = new RegistryAuth(credentials, registryUrl, clock, this);
    this.retry = retry;
    configured
        .followRedirects(true)
        .followSslRedirects(false)
        .addInterceptor(auth)
        .addInterceptor(retry)
        .addNetworkInterceptor(new RedirectGuard())
        .addNetworkInterceptor(new UnansweredAttempts());
    this.cleartext = configured.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
    this.tlsSetup = tlsSetup;
    if (tlsNow) {
      secure();
    }
  }

  /** {@code host[:port]} of the registry, for messages. */
  public String registry() {
    return registry;
  }

  /** Reads a response whose status was expected. */
  @FunctionalInterface
  public interface Handler<T> {
    T handle(Response response) throws IOException;
  }

  /**
   * Sends {@code request}; when the final status is in {@code expected}, hands the response to
   * {@code handler} and closes it.
   *
   * @throws RegistryException for any other status, or when the request could not be sent
   */
  public <T> T call(RegistryRequest request, Set<Integer> expected, Handler<T> handler) {
    Attempts attempts = attempts();
    for (int attempt = 1; ; attempt++) {
      try (Response response = execute(request, attempts)) {
        if (!expected.contains(response.code())) {
          throw failure(request, response);
        }
        return handler.handle(response);
      } catch (IOException e) {
        boolean again = request.method().equals("GET")
            && attempt < BODY_READ_ATTEMPTS
            && attempts.retryAfterFailure();
        if (!again) {
          if (request.method().equals("GET")) {
            attempts.giveUp();
          }
          throw new RegistryException(
              request.action(), "reading the response failed: " + e.getMessage(), e);
        }
        LOG.debug(
            "{}: reading the response failed ({}), asking again", request.action(), e.toString());
      }
    }
  }

  /** Whether this caller's client retries at all ({@code maxRetries} above 0). */
  public boolean retries() {
    return retry.maxRetries() > 0;
  }

  /**
   * The attempts a request sent now draws on: those of the operation this thread runs ({@link
   * Attempts#within}), else a new call's.
   */
  public Attempts attempts() {
    return Attempts.current().orElseGet(retry::newAttempts);
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
   * Whether {@code response} is a Bearer challenge to a token {@link RegistryAuth} had just
   * fetched: it fetches a new token on the first such challenge to a replayable request, and
   * returns the response only when the new token is refused as well.
   */
  private static boolean refusedFreshToken(RegistryRequest request, Response response) {
    String sent = response.request().header("Authorization");
    return request.replayable()
        && sent != null
        && sent.startsWith("Bearer ")
        && RegistryAuth.bearerChallenge(response).isPresent();
  }

  /**
   * Sends {@code request} and returns the final response whatever its status. The caller closes
   * it.
   *
   * @throws RegistryException when no response could be had, or a redirect cannot be followed
   */
  public Response execute(RegistryRequest request) {
    return execute(request, attempts());
  }

  /**
   * Sends {@code request}, its retries drawing on {@code attempts}, and returns the final response
   * whatever its status. The caller closes it.
   *
   * @throws RegistryException when no response could be had, or a redirect cannot be followed
   */
  public Response execute(RegistryRequest request, Attempts attempts) {
    Request.Builder builder =
        UnansweredAttempts.track(new Request.Builder())
            .url(request.url())
            .headers(request.headers())
            .method(request.method(), request.body())
            .tag(RegistryRequest.class, request)
            .tag(Attempts.class, attempts);
    Response response = send(builder.build(), request.action());
    HttpUrl next = redirectTarget(response, request.action());
    if (next == null) {
      return response;
    }
    response.close();
    Request last = response.request();
    if (last.url().isHttps()) {
      throw new RegistryException(request.action(),
          "refusing redirect from HTTPS to plain HTTP at " + next.host() + ":" + next.port(), null);
    }
    String method = response.code() == 303 && !last.method().equals("HEAD") ? "GET" : last.method();
    boolean withBody = !method.equals("GET") && !method.equals("HEAD") && last.body() != null;
    if (next.isHttps() == last.url().isHttps()
        || (withBody && (!request.replayable() || last.body().isOneShot()))) {
      throw new RegistryException(request.action(),
          "redirected to " + next.host() + " but the streamed body cannot be re-sent", null);
    }
    Request upgraded = last.newBuilder()
        .url(next)
        .removeHeader("Authorization")
        .method(method, withBody ? last.body() : null)
        .build();
    return send(upgraded, request.action());
  }

  /**
   * Where a 3xx that OkHttp did not follow points: null for other responses. OkHttp leaves a
   * redirect to another scheme, and one whose body can be sent only once, to its caller.
   */
  private static HttpUrl redirectTarget(Response response, String action) {
    String location = response.header("Location");
    if (!RedirectGuard.isRedirect(response.code()) || location == null) {
      return null;
    }
    HttpUrl next = response.request().url().resolve(location);
    if (next == null) {
      response.close();
      throw new RegistryException(
          action, "redirected to an invalid location '" + location + "'", null);
    }
    return next;
  }

  private Response send(Request request, String action) {
    try {
      return newCall(request).execute();
    } catch (IOException e) {
      throw new RegistryException(action, describe(e, request.url()), e);
    }
  }

  /**
   * Cancels this caller's calls that may still be in flight, response bodies being read included.
   * The dispatcher may be shared with other registry clients and the application, so the calls
   * are this caller's own list (weakly held: a finished call is forgotten when collected).
   */
  public void cancelAll() {
    List<Call> open;
    synchronized (calls) {
      open = List.copyOf(calls.keySet());
    }
    open.forEach(Call::cancel);
  }

  /** A call on the client for {@code request}'s scheme. */
  @Override
  public Call newCall(Request request) {
    Call call = (request.url().isHttps() ? secure() : cleartext).newCall(request);
    synchronized (calls) {
      calls.put(call, Boolean.TRUE);
    }
    return call;
  }

  private OkHttpClient secure() {
    OkHttpClient client = secure;
    if (client == null) {
      synchronized (this) {
        client = secure;
        if (client == null) {
          OkHttpClient.Builder builder = cleartext.newBuilder();
          tlsSetup.accept(builder);
          client = builder.build();
          secure = client;
        }
      }
    }
    return client;
  }

  /** What went wrong talking to {@code url}, for a message: where, and how often it was tried. */
  public static String describe(IOException failure, HttpUrl url) {
    int attempts = 1;
    IOException e = failure;
    if (failure instanceof RetryInterceptor.GaveUp gaveUp
        && gaveUp.getCause() instanceof IOException last) {
      attempts = gaveUp.attempts();
      e = last;
    }
    String where = url.host() + ":" + url.port();
    String tries = attempts == 1 ? "" : " (after " + attempts + " attempts)";
    if (RetryInterceptor.isTlsFailure(e)) {
      String hint =
          RetryInterceptor.hasCause(e, CertificateException.class)
                  || e instanceof SSLPeerUnverifiedException
              ? "; the server certificate is not trusted: configure its CA with"
                  + " TlsOptions.trustedCertificates"
              : "";
      return "TLS handshake with " + where + " failed: " + e.getMessage() + hint;
    }
    if (e instanceof RedirectGuard.TooManyRedirects) {
      return e.getMessage();
    }
    if (e instanceof ConnectException) {
      return "cannot connect to " + where + ": " + e.getMessage() + tries;
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + url.host() + tries;
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out talking to " + where + tries;
    }
    if (e instanceof InterruptedIOException) {
      return e.getMessage() + " (" + where + ")";
    }
    return "I/O error talking to " + where + ": " + e + tries;
  }
}
