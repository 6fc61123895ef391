package dev.satellite.cli.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.satellite.agent.health.HealthStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The agent's HTTP endpoint for scrapers and probes (the JDK's own HTTP server, one thread):
 *
 * <ul>
 *   <li>{@code GET /metrics}: the Prometheus text format (version 0.0.4) of the registry;
 *   <li>{@code GET /healthz}: 200 {@code {"status":"up"}} while the satellite is alive, else 503
 *       {@code {"status":"down","reason":"..."}};
 *   <li>{@code GET /readyz}: the same for readiness.
 * </ul>
 *
 * Other paths are 404, other methods 405 (HEAD is answered like GET, without a body).
 */
public final class ProbeServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "satellite-probes");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * Starts serving on {@code address}.
   *
   * @throws UsageException naming the address when it cannot be bound (in use, not local)
   */
  public ProbeServer(InetSocketAddress address, PrometheusMeterRegistry metrics,
      Supplier<HealthStatus> liveness, Supplier<HealthStatus> readiness) {
    try {
      server = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new UsageException("option --listen: cannot listen on " + address.getHostString()
          + ":" + address.getPort() + ": " + e.getMessage());
    }
    server.createContext("/", exchange -> answer(exchange, metrics, liveness, readiness));
    server.setExecutor(executor);
    server.start();
  }

  /** The address served, with the port chosen when port 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry metrics,
      Supplier<HealthStatus> liveness, Supplier<HealthStatus> readiness) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        send(exchange, 405, "text/plain", "only GET\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
        case "/healthz" -> health(exchange, liveness.get());
        case "/readyz" -> health(exchange, readiness.get());
        default -> send(exchange, 404, "text/plain", "not found: /metrics, /healthz, /readyz\n");
      }
    }
  }

  private static void health(HttpExchange exchange, HealthStatus status) throws IOException {
    String body = status.up() ? "{\"status\":\"up\"}\n"
        : "{\"status\":\"down\",\"reason\":" + quote(status.reason().orElseThrow())
            + "}\n";
    send(exchange, status.up() ? 200 : 503, "application/json", body);
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** {@code text} as a JSON string literal. */
  static String quote(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
