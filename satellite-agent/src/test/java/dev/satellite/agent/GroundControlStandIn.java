package dev.satellite.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.registry.StatePublisher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final String token;
  private final String answer;
  private final String expectedAuthorization;
  private final int port;
  private final Deque<Long> window = new ArrayDeque<>();
  private volatile boolean tokenUsed;
  private volatile GroundControlConfigs configs;

  GroundControlStandIn(String token, String stateReference, String harborUrl, String robot,
      String password) throws IOException {
    this(token, stateReference, harborUrl, robot, password, true);
  }

  private GroundControlStandIn(String token, String stateReference, String harborUrl,
      String robot, String password, boolean start) throws IOException {
    this.token = token;
    this.answer = JSON.createObjectNode().put("state", stateReference)
        .set("auth", JSON.createObjectNode().put("url", harborUrl).put("username", robot)
            .put("password", password)).toString();
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((robot + ":" + password).getBytes(StandardCharsets.UTF_8));
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
      if (!path.equals("/satellites/ztr/" + token) || tokenUsed) {
        return json(400, "{\"message\": \"Error: Invalid Token\", \"code\": 400}");
      }
      tokenUsed = true;
      return json(200, answer);
    }
    if (request.getMethod().equals("POST") && path.equals("/satellites/sync")) {
      if (!expectedAuthorization.equals(request.getHeaders().get("Authorization"))) {
        return json(401, "{\"message\": \"Authentication required\", \"code\": 401}");
      }
      try {
        heartbeats.add(JSON.readTree(request.getBody().utf8()));
      } catch (IOException e) {
        return json(400, "{\"error\": \"bad body\"}");
      }
      return new MockResponse.Builder().code(200).build();
    }
    if (configs != null && path.startsWith("/api/configs")) {
      return configs.dispatch(request, path);
    }
    return json(404, "{\"error\": \"not found\"}");
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
    server.close();
  }
}
