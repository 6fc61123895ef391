package dev.satellite.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Ground Control for tests: hands out one registration for one single-use token, accepts
 * heartbeats authenticated as the robot account it handed out and keeps their bodies.
 */
final class GroundControlStandIn extends Dispatcher implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final MockWebServer server = new MockWebServer();
  final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
  final AtomicInteger registrations = new AtomicInteger();
  private final String token;
  private final String answer;
  private final String expectedAuthorization;
  private volatile boolean tokenUsed;

  GroundControlStandIn(String token, String stateReference, String harborUrl, String robot,
      String password) throws IOException {
    this.token = token;
    this.answer = JSON.createObjectNode().put("state", stateReference)
        .set("auth", JSON.createObjectNode().put("url", harborUrl).put("username", robot)
            .put("password", password)).toString();
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((robot + ":" + password).getBytes(StandardCharsets.UTF_8));
    server.setDispatcher(this);
    server.start();
  }

  String url() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (request.getMethod().equals("GET") && path.startsWith("/satellites/ztr/")) {
      registrations.incrementAndGet();
      if (!path.equals("/satellites/ztr/" + token) || tokenUsed) {
        return json(400, "{\"error\": \"Invalid or expired token\"}");
      }
      tokenUsed = true;
      return json(200, answer);
    }
    if (request.getMethod().equals("POST") && path.equals("/satellites/sync")) {
      if (!expectedAuthorization.equals(request.getHeaders().get("Authorization"))) {
        return json(403, "{\"error\": \"unknown satellite\"}");
      }
      try {
        heartbeats.add(JSON.readTree(request.getBody().utf8()));
      } catch (IOException e) {
        return json(400, "{\"error\": \"bad body\"}");
      }
      return json(200, "{}");
    }
    return json(404, "{\"error\": \"not found\"}");
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
