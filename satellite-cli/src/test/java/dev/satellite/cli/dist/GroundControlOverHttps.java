package dev.satellite.cli.dist;

import dev.satellite.testing.TestCertificates;
import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;

/**
 * Ground Control over HTTPS with a certificate of its own CA: one registration for one single-use
 * token ({@code GET /satellites/ztr/{token}}), then heartbeats ({@code POST /satellites/sync})
 * accepted only with the robot account it handed out, as Ground Control checks them.
 */
final class GroundControlOverHttps extends Dispatcher implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final String token;
  private final String registration;
  private final String robotAuthorization;
  private final AtomicInteger heartbeats = new AtomicInteger();
  private boolean tokenUsed;

  GroundControlOverHttps(TestCertificates.Authority ca, String token, String stateReference,
      String harborUrl, String robot, String password) throws IOException {
    this.token = token;
    this.registration = "{\"state\":\"" + stateReference + "\",\"auth\":{\"url\":\"" + harborUrl
        + "\",\"username\":\"" + robot + "\",\"password\":\"" + password + "\"}}";
    this.robotAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((robot + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    server.useHttps(new HandshakeCertificates.Builder().heldCertificate(ca.issueServer().held())
        .build().sslSocketFactory());
    server.setDispatcher(this);
    server.start();
  }

  String url() {
    return "https://127.0.0.1:" + server.getPort();
  }

  int heartbeats() {
    return heartbeats.get();
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (request.getMethod().equals("GET") && path.startsWith("/satellites/ztr/")) {
      if (!path.equals("/satellites/ztr/" + token) || tokenUsed) {
        return answer(400, "{\"error\":\"Invalid or expired token\"}");
      }
      tokenUsed = true;
      return answer(200, registration);
    }
    if (request.getMethod().equals("POST") && path.equals("/satellites/sync")) {
      if (!robotAuthorization.equals(request.getHeaders().get("Authorization"))) {
        return answer(401, "{\"error\":\"unauthorized\"}");
      }
      heartbeats.incrementAndGet();
      return answer(200, "{}");
    }
    return answer(404, "{\"error\":\"not found\"}");
  }

  private static MockResponse answer(int code, String json) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
        .body(json).build();
  }

  @Override
  public void close() {
    server.close();
  }
}
