package dev.satellite.agent.groundcontrol.spiffe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Ground Control with SPIFFE on, for tests: HTTPS with a server SVID, client certificates
 * required and verified against the satellites' trust bundle, and the satellite known by the
 * SPIFFE ID of its client certificate, as Harbor Satellite's Ground Control does it:
 *
 * <ul>
 *   <li>{@code GET /satellites/spiffe-ztr}: the satellite's name is the last segment of its
 *       SPIFFE ID ({@code /satellite/region/<region>/<name>} or {@code /satellite/<name>}; 400
 *       for any other path); answers the registration (a fresh robot secret each time);
 *   <li>{@code GET /satellites/ztr/<token>}: tokens are not issued with SPIFFE on, so every one
 *       is invalid (400);
 *   <li>{@code POST /satellites/sync}: identified by the SPIFFE ID (a satellite that never
 *       registered gets 403); each beat is kept with the SPIFFE ID and the serial number of the
 *       certificate it came with, and whether it carried an Authorization header.
 * </ul>
 */
public final class SpiffeGroundControlStandIn extends Dispatcher implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One heartbeat as received. */
  public record Beat(String spiffeId, BigInteger certificateSerial, boolean basicAuth,
      JsonNode body) {}

  public final MockWebServer server = new MockWebServer();
  public final List<Beat> beats = new CopyOnWriteArrayList<>();
  /** SPIFFE IDs of the registrations handed out, in order. */
  public final List<String> registrations = new CopyOnWriteArrayList<>();
  public final AtomicInteger tokenAttempts = new AtomicInteger();
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final String stateReference;
  private final String harborUrl;
  private final String robot;
  private final String password;

  /**
   * @param serverSvid the SVID Ground Control presents
   * @param satelliteBundle the root client certificates must chain to
   */
  public SpiffeGroundControlStandIn(TestTrustDomain.Svid serverSvid,
      X509Certificate satelliteBundle, String stateReference, String harborUrl, String robot,
      String password) throws IOException {
    this.stateReference = stateReference;
    this.harborUrl = harborUrl;
    this.robot = robot;
    this.password = password;
    server.useHttps(serverSvid.serverContext(satelliteBundle).getSocketFactory());
    server.requireClientAuth();
    server.setDispatcher(this);
    server.start();
  }

  public String url() {
    return "https://" + server.getHostName() + ":" + server.getPort();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    Optional<X509Certificate> client = clientCertificate(request);
    Optional<String> spiffeId = client.flatMap(SpiffeGroundControlStandIn::spiffeId);
    if (request.getMethod().equals("GET") && path.startsWith("/satellites/ztr/")) {
      tokenAttempts.incrementAndGet();
      return json(400, "{\"error\": \"Invalid or expired token\"}");
    }
    if (request.getMethod().equals("GET") && path.equals("/satellites/spiffe-ztr")) {
      if (spiffeId.isEmpty()) {
        return json(401, "{\"error\": \"SPIFFE authentication required\"}");
      }
      Optional<String> name = satelliteName(spiffeId.get());
      if (name.isEmpty()) {
        return json(400, "{\"error\": \"Error: Invalid SPIFFE ID format for satellite\"}");
      }
      known.add(spiffeId.get());
      registrations.add(spiffeId.get());
      return json(200, JSON.createObjectNode().put("state", stateReference)
          .set("auth", JSON.createObjectNode().put("url", harborUrl).put("username", robot)
              .put("password", password)).toString());
    }
    if (request.getMethod().equals("POST") && path.equals("/satellites/sync")) {
      if (spiffeId.isEmpty() || !known.contains(spiffeId.get())) {
        return json(403, "{\"error\": \"Unauthorized\"}");
      }
      try {
        beats.add(new Beat(spiffeId.get(), client.get().getSerialNumber(),
            request.getHeaders().get("Authorization") != null,
            JSON.readTree(request.getBody().utf8())));
      } catch (IOException e) {
        return json(400, "{\"error\": \"bad body\"}");
      }
      return json(200, "{}");
    }
    return json(404, "{\"error\": \"not found\"}");
  }

  /** The name Ground Control derives from a satellite's SPIFFE ID. */
  static Optional<String> satelliteName(String spiffeId) {
    String path = spiffeId.replaceFirst("^spiffe://[^/]+", "");
    String[] parts = path.split("/");
    if (path.equals("/satellite")) {
      return Optional.of("default");
    }
    if (!path.startsWith("/satellite/") || parts.length < 3) {
      return Optional.empty();
    }
    return Optional.of(parts[parts.length - 1]);
  }

  private static Optional<X509Certificate> clientCertificate(RecordedRequest request) {
    if (request.getHandshake() == null || request.getHandshake().peerCertificates().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of((X509Certificate) request.getHandshake().peerCertificates().get(0));
  }

  private static Optional<String> spiffeId(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return Optional.empty();
      }
      return names.stream().filter(n -> Integer.valueOf(6).equals(n.get(0)))
          .map(n -> (String) n.get(1)).filter(uri -> uri.startsWith("spiffe://")).findFirst();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
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
