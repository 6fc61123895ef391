package dev.satellite.agent.groundcontrol;

import static dev.satellite.agent.groundcontrol.internal.GroundControlAnswers.events;
import static dev.satellite.agent.groundcontrol.internal.GroundControlAnswers.readAnswer;
import static dev.satellite.agent.groundcontrol.internal.GroundControlAnswers.refreshed;
import static dev.satellite.agent.groundcontrol.internal.GroundControlAnswers.registration;
import static dev.satellite.agent.groundcontrol.internal.GroundControlErrors.refused;
import static dev.satellite.agent.groundcontrol.internal.GroundControlErrors.retryAfter;
import static dev.satellite.agent.groundcontrol.internal.GroundControlErrors.unreachable;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.satellite.agent.groundcontrol.internal.ExchangeReporter;
import dev.satellite.agent.groundcontrol.internal.HeartbeatJson;
import dev.satellite.agent.groundcontrol.internal.RequestBudget;
import dev.satellite.agent.groundcontrol.internal.SpiffeTls;
import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.registry.HttpExchangeListener;
import dev.satellite.registry.TlsOptions;
import io.spiffe.workloadapi.X509Source;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import okhttp3.ConnectionSpec;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Talks to Harbor Ground Control on behalf of one satellite.
 *
 * <ul>
 *   <li><b>Zero-touch registration</b>: {@code GET {gc}/satellites/ztr/{token}} answers {@code 200}
 *       with the satellite's {@link Registration}; any other status is a failure ({@code 400} with
 *       a JSON error for an invalid or expired token). The token is single-use: Ground Control
 *       deletes it as it answers.
 *   <li><b>Heartbeat</b>: {@code POST {gc}/satellites/sync} with a JSON {@link Heartbeat}, HTTP
 *       Basic auth with the registration's robot account; {@code 200} accepted (with a {@link
 *       HeartbeatAnswer}: events such as {@code refresh_credentials}), {@code 401} refused robot
 *       account (expired), {@code 403} unknown satellite, {@code 400} bad interval.
 *   <li><b>Credential refresh</b> ({@link #refreshCredentials}): {@code POST {gc}/satellites/
 *       refresh-credentials} with the current robot account; the answer carries the new secret.
 *   <li><b>With a SPIFFE identity</b> ({@link Builder#spiffe}): every call goes over mutual TLS with
 *       the satellite's X.509 SVID as client certificate, and Ground Control must present a
 *       SPIFFE certificate (see {@link SpiffeOptions}). Registration is {@code GET
 *       {gc}/satellites/spiffe-ztr} ({@link #registerWithSpiffe}: no token, Ground Control knows
 *       the satellite by its SPIFFE ID and answers as for a token); heartbeats carry no Basic
 *       auth, Ground Control identifies the satellite by its SPIFFE ID.
 * </ul>
 *
 * <p><b>Rate limit.</b> Ground Control lets each client address send 10 requests a minute to
 * these routes together and answers {@code 429} beyond. Every request first waits for room in
 * the client's {@link RequestBudget} (10 requests per 62 s), so the client itself never trips the
 * limit; after a {@code 429} nothing is sent until its {@code Retry-After} has passed (a whole
 * minute when it names none, as Ground Control does), and the failure carries that wait ({@link
 * GroundControlException#retryAfter()}).
 *
 * <p>The URL's scheme is {@code https} unless {@code http://} is written explicitly. TLS settings
 * are {@link TlsOptions}, as for registry clients. Redirects are not followed, so the robot's
 * credentials go to this URL's host only. The registration token never appears in a log line or
 * an exception message: it is shown as {@code <token>}. One attempt per call; retrying is the
 * caller's choice ({@link GroundControlException#passable()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class GroundControlClient implements AutoCloseable {
  static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final HttpUrl base;
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final boolean spiffe;
  private final RequestBudget budget;

  private GroundControlClient(Builder b) {
    this.base = b.base;
    this.budget = b.budget != null ? b.budget : new RequestBudget();
    OkHttpClient.Builder http = (b.shared != null ? b.shared.newBuilder() : new OkHttpClient.Builder())
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(b.connectTimeout)
        .readTimeout(b.readTimeout)
        .callTimeout(b.connectTimeout.plus(b.readTimeout).multipliedBy(2));
    this.spiffe = b.svids != null;
    if (spiffe) {
      if (!base.isHttps()) {
        throw new IllegalArgumentException("Ground Control URL " + base + ": a SPIFFE identity"
            + " needs https (mutual TLS)");
      }
      SpiffeTls.applyTo(http, b.svids, b.spiffeOptions.expectedServerId(),
          "Ground Control at " + base);
    } else {
      TlsOptions.Sockets tls = b.tls.sockets("Ground Control " + base);
      http.connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
          .sslSocketFactory(tls.socketFactory(), tls.trustManager())
          .hostnameVerifier(tls.hostnameVerifier());
    }
    if (b.listener != null) {
      http.addNetworkInterceptor(new ExchangeReporter(b.listener));
    }
    this.http = http.build();
    this.ownsHttp = b.shared == null;
  }

  /**
   * Starts a client for Ground Control at {@code url} ({@code https://gc.example.com}, {@code
   * gc.example.com:8080}, or {@code http://127.0.0.1:8080} for plain HTTP, written out).
   *
   * @throws IllegalArgumentException when {@code url} is not an HTTP(S) base URL
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** The Ground Control base URL requests go to. */
  public String url() {
    return base.toString();
  }

  /**
   * Registers with the one-time {@code token} and returns what Ground Control handed out.
   *
   * @throws RegistrationRefusedException when Ground Control refuses the token ({@code 400},
   *     {@code 401}, {@code 403}, {@code 404}; its status and error text are in the message)
   * @throws GroundControlException when Ground Control cannot be reached, or rate-limits ({@linkplain
   *     GroundControlException#passable() passable}), or answers something that is not a
   *     registration
   */
  public Registration register(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("the registration token is empty");
    }
    HttpUrl url = base.newBuilder().addPathSegment("satellites").addPathSegment("ztr")
        .addPathSegment(token).build();
    String action = "register with Ground Control at " + base + " (GET satellites/ztr/<token>)";
    Request request = new Request.Builder().url(url).get()
        .header("Accept", "application/json").build();
    try (Response response = send(action, request, token)) {
      int code = response.code();
      if (code == 400 || code == 401 || code == 403 || code == 404) {
        GroundControlException refused = refused(action, response, token,
            "; the token is invalid, expired or used already (tokens are single-use):"
                + " ask Ground Control for a new one");
        throw new RegistrationRefusedException(refused.getMessage(), code);
      }
      if (code != 200) {
        throw refused(action, response, token, "");
      }
      return registration(action, readAnswer(response));
    } catch (IOException e) {
      throw unreachable(action, e, token);
    }
  }

  /**
   * Registers with the satellite's SPIFFE identity ({@code GET satellites/spiffe-ztr} over mutual
   * TLS) and returns what Ground Control handed out. Ground Control derives the satellite's name
   * from its SPIFFE ID, and hands out a fresh robot secret each time.
   *
   * @throws IllegalStateException when the client has no SPIFFE identity
   * @throws GroundControlException when Ground Control cannot be reached ({@linkplain
   *     GroundControlException#passable() passable}), failed SPIFFE authentication (its SPIFFE
   *     ID, trust domain or chain, named; not passable), refused the satellite (its status and
   *     error text are in the message), or answered something that is not a registration
   */
  public Registration registerWithSpiffe() {
    if (!spiffe) {
      throw new IllegalStateException("registerWithSpiffe() needs a client built with spiffe(..)");
    }
    HttpUrl url = base.newBuilder().addPathSegment("satellites").addPathSegment("spiffe-ztr")
        .build();
    String action = "register with Ground Control at " + base + " (GET satellites/spiffe-ztr)";
    Request request = new Request.Builder().url(url).get()
        .header("Accept", "application/json").build();
    try (Response response = send(action, request, null)) {
      if (response.code() != 200) {
        throw refused(action, response, null, switch (response.code()) {
          case 401 -> "; Ground Control found no SPIFFE ID in the client certificate";
          case 400 -> "; Ground Control does not take this SPIFFE ID for a satellite's"
              + " (spiffe://<trust-domain>/satellite/region/<region>/<name>)";
          default -> "";
        });
      }
      return registration(action, readAnswer(response));
    } catch (IOException e) {
      Optional<String> refusal = SpiffeTls.refusal(e);
      if (refusal.isPresent()) {
        throw new GroundControlException(action + ": " + refusal.get(), -1, false, null);
      }
      throw unreachable(action, e, null);
    }
  }

  /**
   * Sends one heartbeat, authenticated as the registration's robot account (with a SPIFFE
   * identity: by that identity, without the robot account).
   *
   * @return Ground Control's answer: {@code 200} and the events it names ({@link HeartbeatAnswer};
   *     none from a Ground Control that answers without a body, or with one that is not JSON)
   * @throws GroundControlException when Ground Control cannot be reached ({@linkplain
   *     GroundControlException#passable() passable}) or answers another status ({@code 401}: it
   *     refused the robot account, e.g. expired; {@code 403}: it does not know the satellite;
   *     {@code 400}: it rejected the report)
   */
  public HeartbeatAnswer heartbeat(Registration registration, Heartbeat heartbeat) {
    Objects.requireNonNull(registration, "registration");
    HttpUrl url = base.newBuilder().addPathSegment("satellites").addPathSegment("sync").build();
    String action = "send heartbeat of " + heartbeat.name() + " to Ground Control at " + base;
    Request request = authenticated(registration, new Request.Builder().url(url)
        .post(RequestBody.create(HeartbeatJson.encode(heartbeat), JSON_TYPE)));
    try (Response response = send(action, request, null)) {
      if (response.code() != 200) {
        String hint = switch (response.code()) {
          case 403 -> "; Ground Control does not know this satellite or its robot account";
          case 401 -> "; Ground Control refused the robot account's credentials";
          case 400 -> "; Ground Control rejected the report";
          default -> "";
        };
        throw refused(action, response, null, hint);
      }
      return new HeartbeatAnswer(response.code(), events(readAnswer(response)));
    } catch (IOException e) {
      throw unreachable(action, e, null);
    }
  }

  /**
   * Asks Ground Control to rotate the robot account's secret, authenticated with the current one
   * (with a SPIFFE identity: by that identity), and returns the registration with the new secret.
   * Ground Control refreshes the secret in Harbor (which extends the robot's life), so the old
   * secret stops working as it answers.
   *
   * <p>The route is {@code POST satellites/refresh-credentials} (harbor-satellite ADR #307); a
   * Ground Control that answers it {@code 404} or {@code 405} is asked at {@code POST api/refresh},
   * where PR #501 first put it. Both take {@code {"name": "<satellite>"}} and answer {@code
   * {"secret": "..."}}, possibly with {@code "robot_name"} (then the registration takes that
   * name).
   *
   * @throws GroundControlException when Ground Control has neither route ({@code 404}, not
   *     passable: such a Ground Control never asks for a refresh either), refused the credentials
   *     ({@code 401}) or the satellite ({@code 403}), failed ({@code 5xx}, passable), could not be
   *     reached (passable), or answered without a secret
   */
  public Registration refreshCredentials(Registration current) {
    Objects.requireNonNull(current, "current");
    byte[] body = Json.MAPPER.createObjectNode().put("name", current.satelliteName()).toString()
        .getBytes(UTF_8);
    GroundControlException missing = null;
    for (List<String> route : List.of(List.of("satellites", "refresh-credentials"),
        List.of("api", "refresh"))) {
      HttpUrl.Builder url = base.newBuilder();
      route.forEach(url::addPathSegment);
      String action = "refresh the credentials of " + current.satelliteName() + " at Ground Control"
          + " " + base + " (POST " + String.join("/", route) + ")";
      Request request = authenticated(current, new Request.Builder().url(url.build())
          .post(RequestBody.create(body, JSON_TYPE)));
      try (Response response = send(action, request, null)) {
        if (response.code() == 404 || response.code() == 405) {
          missing = refused(action, response, null, "");
          continue;
        }
        if (response.code() != 200) {
          throw refused(action, response, null, switch (response.code()) {
            case 401 -> "; Ground Control refused the robot account's credentials: register"
                + " again with a new token";
            case 403 -> "; Ground Control does not know this satellite or its robot account";
            default -> "";
          });
        }
        return refreshed(action, current, readAnswer(response));
      } catch (IOException e) {
        throw unreachable(action, e, null);
      }
    }
    throw new GroundControlException(missing.getMessage() + "; this Ground Control has no"
        + " credential refresh route (harbor-satellite PR #501): the robot account keeps its"
        + " secret until it expires, then the satellite needs a new registration token", 404,
        false, null);
  }

  /** {@code request} with the robot account's Basic credentials, unless SPIFFE authenticates. */
  private Request authenticated(Registration registration, Request.Builder request) {
    if (!spiffe) {
      request.header("Authorization", Credentials.basic(registration.username(),
          registration.password(), UTF_8));
    }
    return request.build();
  }

  /**
   * Sends {@code request} once there is room in the budget; a {@code 429} holds the budget back
   * and fails with the wait it asked for.
   */
  private Response send(String action, Request request, String token) throws IOException {
    try {
      budget.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GroundControlException(action + ": interrupted while waiting for Ground Control's"
          + " rate limit", -1, false, null);
    }
    Response response = http.newCall(request).execute();
    if (response.code() == 429) {
      try (response) {
        Duration wait = retryAfter(response.header("Retry-After"));
        budget.pauseFor(wait);
        GroundControlException limited = refused(action, response, token,
            "; Ground Control's rate limit: the next request waits " + wait.toSeconds() + " s");
        throw new GroundControlException(limited.getMessage(), 429, true, wait, null);
      }
    }
    return response;
  }

  /** Closes the connections this client opened (not those of a shared client). */
  @Override
  public void close() {
    if (ownsHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "GroundControlClient[" + base + "]";
  }

  /** Options of a {@link GroundControlClient}. */
  public static final class Builder {
    private final HttpUrl base;
    private TlsOptions tls = TlsOptions.systemDefault();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private OkHttpClient shared;
    private X509Source svids;
    private SpiffeOptions spiffeOptions;
    private RequestBudget budget;
    private HttpExchangeListener listener;

    private Builder(String url) {
      this.base = baseUrl(Objects.requireNonNull(url, "url"));
    }

    /** TLS settings for an {@code https} Ground Control (default: system trust). */
    public Builder tls(TlsOptions options) {
      this.tls = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Talks to Ground Control over mutual TLS with the SPIFFE identity {@code svids} holds (the
     * current SVID at each connection), authorising Ground Control as {@code options} say (its
     * expected SPIFFE ID); replaces {@link #tls}. The source stays the caller's to close, after
     * the client. Needs an {@code https} URL.
     */
    public Builder spiffe(X509Source svids, SpiffeOptions options) {
      this.svids = Objects.requireNonNull(svids, "svids");
      this.spiffeOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /**
     * Derives the client from an application's OkHttp client (sharing its connection pool and
     * dispatcher, and keeping its interceptors and event listener); TLS, timeouts and redirects
     * are set as above. Kept for the reason {@code RegistryClient.Builder.sharedHttpClient} is:
     * OkHttp clients are meant to be shared, and an application's carries its proxy, DNS and
     * tracing set-up.
     */
    public Builder sharedHttpClient(OkHttpClient client) {
      this.shared = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Tells {@code listener} of every exchange with Ground Control once its response headers
     * arrived (or it failed without a response): method, host, status, time taken and whether
     * it carried credentials, never the URL's path, a header or a body. A listener that throws
     * fails the request; it must be quick, as it runs on the calling thread.
     */
    public Builder exchangeListener(HttpExchangeListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The rate budget requests wait for; tests substitute one on a fake clock. */
    Builder budget(RequestBudget requestBudget) {
      this.budget = Objects.requireNonNull(requestBudget, "requestBudget");
      return this;
    }

    public GroundControlClient build() {
      return new GroundControlClient(this);
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static HttpUrl baseUrl(String url) {
      String trimmed = url.strip();
      String withScheme = trimmed.matches("(?i)^[a-z][a-z0-9+.-]*://.*") ? trimmed
          : "https://" + trimmed;
      HttpUrl parsed = HttpUrl.parse(withScheme);
      if (parsed == null || !(parsed.scheme().equals("http") || parsed.scheme().equals("https"))
          || parsed.query() != null || parsed.fragment() != null) {
        throw new IllegalArgumentException("Ground Control URL '" + url
            + "' is not an http(s) base URL such as https://gc.example.com");
      }
      String path = parsed.encodedPath();
      return path.endsWith("/") ? parsed : parsed.newBuilder().addPathSegment("").build();
    }
  }
}
