package dev.satellite.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.registry.StatePublisher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Ground Control for tests, behaving as the real one does (harbor-satellite's
 * {@code internal/groundcontrol}): hands out one registration for one single-use token ({@code
 * 400} for an unknown or used token), accepts heartbeats authenticated as the robot account it
 * handed out ({@code 401} otherwise) and keeps their bodies, and rate-limits {@code /satellites/ztr} and {@code /satellites/sync}
 * together: 10 requests per client address in a sliding minute, {@code 429} without {@code
 * Retry-After} beyond, rejected requests not counted. It may {@linkplain #startLate start late}
 * on an address handed out before, and publishes whatever Harbor URL it is given, reachable or
 * not. With {@link #acceptConfigs} it takes configs as Ground Control does ({@link
 * GroundControlConfigs}: fields it does not know are dropped) and publishes them.
 *
 * <p><b>Robot lifecycle</b> ({@link #robotLife}): the robot account lives for a set time from its
 * last secret, as Harbor robots do ({@code ROBOT_DURATION_DAYS}). At expiry Harbor's secret is
 * changed to one nobody knows (the upstream registry's htpasswd rewritten: pulls get {@code 401})
 * and heartbeats get {@code 401}. Before that, heartbeat answers carry {@code {"events":
 * ["refresh_credentials"]}} once the robot expires within two heartbeat intervals (PR #501), and
 * {@code POST /satellites/refresh-credentials} with the current secret rotates it: a new secret in
 * Harbor (htpasswd), a new life, {@code {"secret": "..."}} in the answer. {@link #withoutRefresh}
 * models a Ground Control from before PR #501 (answers without a body, no refresh route). A token
 * {@linkplain #issueToken issued later} registers the existing robot name again with a fresh
 * secret and life, as Ground Control's ZTR does for a satellite it knows.
 */
final class GroundControlStandIn extends Dispatcher implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WINDOW_NANOS = 60_000_000_000L;
  private static final int LIMIT = 10;

  final MockWebServer server = new MockWebServer();
  final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
  final AtomicInteger registrations = new AtomicInteger();
  final AtomicInteger rateLimited = new AtomicInteger();
  final List<Long> acceptedAt = new CopyOnWriteArrayList<>();
  final AtomicInteger refreshes = new AtomicInteger();
  final AtomicInteger refusedHeartbeats = new AtomicInteger();
  private final String stateReference;
  private final String harborUrl;
  private final String robot;
  private final Set<String> tokens = new HashSet<>();
  private final int port;
  private final Deque<Long> window = new ArrayDeque<>();
  private final SecureRandom random = new SecureRandom();
  private final ScheduledExecutorService expiries = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread thread = new Thread(r, "stand-in robot expiry");
        thread.setDaemon(true);
        return thread;
      });
  private String password;
  private DistributionRegistry harbor;
  private Duration life;
  private long expiresAtNanos = Long.MAX_VALUE;
  private boolean expired;
  private boolean refreshRoute = true;
  private boolean handedOut;
  private ScheduledFuture<?> expiry;
  private volatile GroundControlConfigs configs;

  GroundControlStandIn(String token, String stateReference, String harborUrl, String robot,
      String password) throws IOException {
    this(token, stateReference, harborUrl, robot, password, true);
  }

  private GroundControlStandIn(String token, String stateReference, String harborUrl,
      String robot, String password, boolean start) throws IOException {
    this.tokens.add(token);
    this.stateReference = stateReference;
    this.harborUrl = harborUrl;
    this.robot = robot;
    this.password = password;
    server.setDispatcher(this);
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    }
    if (start) {
      startLate();
    }
  }

  /** A Ground Control whose address is known now and that answers only after {@link #startLate}. */
  static GroundControlStandIn notYetUp(String token, String stateReference, String harborUrl,
      String robot, String password) throws IOException {
    return new GroundControlStandIn(token, stateReference, harborUrl, robot, password, false);
  }

  /** Starts answering on the address {@link #url} named from the start. */
  void startLate() throws IOException {
    server.start(InetAddress.getLoopbackAddress(), port);
  }

  /** Takes configs under {@code /api/configs} from now on, published with {@code publisher}. */
  GroundControlConfigs acceptConfigs(StatePublisher publisher) {
    configs = new GroundControlConfigs(publisher);
    return configs;
  }

  /** The configs taken (after {@link #acceptConfigs}). */
  GroundControlConfigs configs() {
    return configs;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Robots live for {@code robotLife} from now and from each new secret; {@code harborRegistry}
   * is the upstream whose htpasswd holds the robot's secret.
   */
  synchronized GroundControlStandIn robotLife(Duration robotLife, DistributionRegistry harborRegistry) {
    this.life = robotLife;
    this.harbor = harborRegistry;
    renewLife();
    return this;
  }

  /** A Ground Control from before PR #501: heartbeat answers without a body, no refresh route. */
  synchronized GroundControlStandIn withoutRefresh() {
    this.refreshRoute = false;
    return this;
  }

  /** Makes {@code newToken} a valid single-use token for the robot name handed out already. */
  synchronized void issueToken(String newToken) {
    tokens.add(newToken);
  }

  /** The robot's secret now. */
  synchronized String password() {
    return password;
  }

  synchronized boolean expired() {
    return expired;
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    boolean limited = path.startsWith("/satellites/ztr/") || path.equals("/satellites/sync")
        || path.equals("/login");
    if (limited && !allow()) {
      rateLimited.incrementAndGet();
      return json(429, "{\"error\": \"Too Many Requests\"}");
    }
    if (request.getMethod().equals("GET") && path.startsWith("/satellites/ztr/")) {
      registrations.incrementAndGet();
      String presented = path.substring("/satellites/ztr/".length());
      if (!tokens.remove(presented)) {
        return json(400, "{\"message\": \"Error: Invalid Token\", \"code\": 400}");
      }
      if (handedOut) {
        rotate(); // Ground Control's ZTR refreshes the secret of a robot it knows
      }
      handedOut = true;
      return json(200, JSON.createObjectNode().put("state", stateReference)
          .set("auth", JSON.createObjectNode().put("url", harborUrl).put("username", robot)
              .put("password", password)).toString());
    }
    if (request.getMethod().equals("POST") && path.equals("/satellites/sync")) {
      if (!authorized(request)) {
        refusedHeartbeats.incrementAndGet();
        return json(401, "{\"message\": \"Authentication required\", \"code\": 401}");
      }
      JsonNode beat;
      try {
        beat = JSON.readTree(request.getBody().utf8());
      } catch (IOException e) {
        return json(400, "{\"error\": \"bad body\"}");
      }
      heartbeats.add(beat);
      if (!refreshRoute) {
        return new MockResponse.Builder().code(200).build();
      }
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode events = answer.putArray("events");
      if (System.nanoTime() + 2 * interval(beat).toNanos() >= expiresAtNanos) {
        events.add("refresh_credentials");
      }
      return json(200, answer.toString());
    }
    if (request.getMethod().equals("POST") && path.equals("/satellites/refresh-credentials")
        && refreshRoute) {
      if (!authorized(request)) {
        return json(401, "{\"message\": \"Unauthorized\", \"code\": 401}");
      }
      rotate();
      refreshes.incrementAndGet();
      return json(200, JSON.createObjectNode().put("secret", password).toString());
    }
    if (configs != null && path.startsWith("/api/configs")) {
      return configs.dispatch(request, path);
    }
    return json(404, "{\"error\": \"not found\"}");
  }

  /** Basic auth with the robot's current secret, before it expired. */
  private boolean authorized(RecordedRequest request) {
    String expected = "Basic " + Base64.getEncoder()
        .encodeToString((robot + ":" + password).getBytes(StandardCharsets.UTF_8));
    return !expired && expected.equals(request.getHeaders().get("Authorization"));
  }

  /** A new secret, in Harbor too, and a new life. */
  private void rotate() {
    password = "robot-" + Long.toHexString(random.nextLong());
    expired = false;
    if (harbor != null) {
      harbor.changePassword(password);
    }
    renewLife();
  }

  private void renewLife() {
    if (life == null) {
      return;
    }
    if (expiry != null) {
      expiry.cancel(false);
    }
    expiresAtNanos = System.nanoTime() + life.toNanos();
    expiry = expiries.schedule(this::expire, life.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Harbor refuses the expired robot from now on, whatever secret it is shown. */
  private synchronized void expire() {
    expired = true;
    harbor.changePassword("expired-" + Long.toHexString(random.nextLong()));
  }

  /** The heartbeat interval a beat states ({@code "@every 00h00m30s"}). */
  private static Duration interval(JsonNode beat) {
    Matcher m = Pattern.compile("@every (\\d+)h(\\d+)m(\\d+)s")
        .matcher(beat.path("state_report_interval").asText());
    return m.matches() ? Duration.ofHours(Long.parseLong(m.group(1)))
        .plusMinutes(Long.parseLong(m.group(2))).plusSeconds(Long.parseLong(m.group(3)))
        : Duration.ofSeconds(30);
  }

  /** Ground Control's limiter: a sliding minute, only accepted requests recorded. */
  private boolean allow() {
    long now = System.nanoTime();
    while (!window.isEmpty() && now - window.peekFirst() >= WINDOW_NANOS) {
      window.removeFirst();
    }
    if (window.size() >= LIMIT) {
      return false;
    }
    window.addLast(now);
    acceptedAt.add(now);
    return true;
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
        .body(body).build();
  }

  @Override
  public void close() {
    expiries.shutdownNow();
    server.close();
  }
}
