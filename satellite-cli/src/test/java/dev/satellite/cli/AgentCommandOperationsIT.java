package dev.satellite.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.cli.support.ParsedSync;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code satellite agent --listen} between two real registries: {@code /metrics} read by the
 * Prometheus client library's own text-format parser, {@code /healthz} and {@code /readyz} while
 * the edge registry stops and comes back, and the {@code --audit-log}.
 */
@RequiresRegistry
class AgentCommandOperationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path temp;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void metricsProbesAndAuditLogOfARunningAgent() throws Exception {
    requirePrometheusParser();
    Path edgeDir = Files.createDirectories(temp.resolve("edge"));
    try (DistributionRegistry upstreamRegistry = DistributionRegistry.builder().start();
        RegistryClient upstream = RegistryClient.builder(upstreamRegistry.baseUrl()).build()) {
      upstreamRegistry.push("proj/app",
          TestImages.image(TestImages.Format.OCI, 1, TestBlob.random(1, 200_000)), "v1");
      upstreamRegistry.push("proj/db",
          TestImages.image(TestImages.Format.OCI, 2, TestBlob.random(2, 100_000)), "v1");
      StatePublisher publisher =
          StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
      String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(), List.of(
          new StateImage("proj/app", List.of("v1"), Optional.empty()),
          new StateImage("proj/db", List.of("v1"), Optional.empty()))).reference();
      String state = "http://" + publisher.publishSatellite("edge-1", List.of(group),
          Optional.empty()).reference();
      DistributionRegistry edgeRegistry = DistributionRegistry.builder().directory(edgeDir).start();
      int edgePort = Integer.parseInt(edgeRegistry.hostPort().replaceFirst(".*:", ""));
      int port = freePort();
      Path audit = temp.resolve("audit/audit.jsonl");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      String[] args = {"--state", state, "--destination", edgeRegistry.baseUrl(),
          "--checkpoint", temp.resolve("checkpoint.json").toString(), "--interval", "1s",
          "--json", "--listen", "127.0.0.1:" + port, "--audit-log", audit.toString()};
      ParsedSync parsed = AgentCommand.parse(args, Map.of(), new PrintStream(out, true, UTF_8),
          new PrintStream(err, true, UTF_8));
      assertThat(parsed.options()).as(err.toString(UTF_8)).isPresent();
      CountDownLatch stop = new CountDownLatch(1);
      AtomicInteger status = new AtomicInteger(-1);
      Thread agent = new Thread(() -> status.set(AgentCommand.run(parsed.options().get(),
          new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), stop)), "agent");
      agent.start();
      try {
        await("two passes", () -> reports(out).size() >= 2, err);
        String base = "http://127.0.0.1:" + port;

        List<JsonNode> samples = parsePrometheus(get(base + "/metrics").body());
        long copied = reports(out).stream().mapToLong(r -> r.get("bytesCopied").asLong()).sum();
        assertThat(copied).as(out.toString(UTF_8)).isGreaterThan(300_000);
        assertThat(sample(samples, "satellite_bytes_copied_bytes_total", Map.of()))
            .isEqualTo(copied);
        assertThat(sample(samples, "satellite_passes_seconds_count",
            Map.of("outcome", "complete"))).isGreaterThanOrEqualTo(2);
        assertThat(sample(samples, "satellite_last_success_age_seconds", Map.of()))
            .isBetween(0.0, 30.0);
        assertThat(sample(samples, "satellite_http_requests_seconds_count",
            Map.of("side", "edge", "status", "2xx"))).isGreaterThan(0);
        assertThat(samples).anySatisfy(s ->
            assertThat(s.get("name").asText()).isEqualTo("jvm_memory_used_bytes"));

        HttpResponse<String> healthz = get(base + "/healthz");
        assertThat(healthz.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(healthz.body()).get("status").asText()).isEqualTo("up");
        assertThat(get(base + "/readyz").statusCode()).isEqualTo(200);

        edgeRegistry.close();
        HttpResponse<String> down = get(base + "/readyz");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode reason = JSON.readTree(down.body());
        assertThat(reason.get("status").asText()).isEqualTo("down");
        assertThat(reason.get("reason").asText()).startsWith("the edge registry does not answer");
        assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);

        edgeRegistry = DistributionRegistry.builder().directory(edgeDir).port(edgePort).start();
        await("ready again", () -> get(base + "/readyz").statusCode() == 200, err);
        assertThat(get(base + "/nothing").statusCode()).isEqualTo(404);
      } finally {
        stop.countDown();
        agent.join(30_000);
        edgeRegistry.close();
      }
      assertThat(status.get()).as(err.toString(UTF_8)).isZero();
      List<String> events = new ArrayList<>();
      for (String line : Files.readAllLines(audit)) {
        events.add(JSON.readTree(line).get("event").asText());
      }
      assertThat(events).containsExactlyInAnyOrder("image_placed", "image_placed");
    }
  }

  @Test
  void healthzAnswersWhileALongCopyRuns() throws Exception {
    try (DistributionRegistry upstreamRegistry = DistributionRegistry.builder().start();
        DistributionRegistry edgeRegistry = DistributionRegistry.builder().start();
        RegistryClient upstream = RegistryClient.builder(upstreamRegistry.baseUrl()).build()) {
      upstreamRegistry.push("proj/big",
          TestImages.image(TestImages.Format.OCI, 3, TestBlob.random(3, 4 << 20)), "v1");
      StatePublisher publisher =
          StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
      String group = publisher.publishGroup("g1", upstreamRegistry.baseUrl(), List.of(
          new StateImage("proj/big", List.of("v1"), Optional.empty()))).reference();
      String state = "http://" + publisher.publishSatellite("edge-1", List.of(group),
          Optional.empty()).reference();
      int port = freePort();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      // 4 MiB at 256 KiB/s: the first pass copies for about 16 s
      String[] args = {"--state", state, "--destination", edgeRegistry.baseUrl(),
          "--checkpoint", temp.resolve("checkpoint.json").toString(), "--interval", "1h",
          "--json", "--max-bandwidth", "256KiB/s", "--listen", "127.0.0.1:" + port};
      ParsedSync parsed = AgentCommand.parse(args, Map.of(), new PrintStream(out, true, UTF_8),
          new PrintStream(err, true, UTF_8));
      assertThat(parsed.options()).as(err.toString(UTF_8)).isPresent();
      CountDownLatch stop = new CountDownLatch(1);
      Thread agent = new Thread(() -> AgentCommand.run(parsed.options().get(),
          new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), stop), "agent");
      agent.start();
      try {
        String base = "http://127.0.0.1:" + port;
        await("the probes served", () -> {
          try {
            return get(base + "/healthz").statusCode() == 200;
          } catch (AssertionError notYet) {
            return false;
          }
        }, err);
        for (int i = 0; i < 5; i++) {
          Thread.sleep(500);
          assertThat(reports(out)).as("the first pass is still copying").isEmpty();
          HttpResponse<String> healthz = get(base + "/healthz");
          assertThat(healthz.statusCode()).as(healthz.body()).isEqualTo(200);
          assertThat(JSON.readTree(healthz.body()).get("status").asText()).isEqualTo("up");
        }
      } finally {
        stop.countDown();
        agent.join(30_000);
      }
    }
  }

  private static void requirePrometheusParser() throws Exception {
    boolean present = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
        "import prometheus_client.parser").start().waitFor() == 0;
    if (!present && Boolean.getBoolean("satellite.requireRegistry")) {
      throw new AssertionError("python3-prometheus-client is not installed, and"
          + " -Dsatellite.requireRegistry=true");
    }
    assumeTrue(present, "python3-prometheus-client not installed: Prometheus parse skipped"
        + " (apt-get install python3-prometheus-client)");
  }

  /** The samples of {@code exposition}, as the Prometheus client library's parser reads them. */
  private static List<JsonNode> parsePrometheus(String exposition) throws Exception {
    Process parser = new ProcessBuilder(PYTHON.toString(), "-c", script()).start();
    parser.getOutputStream().write(exposition.getBytes(UTF_8));
    parser.getOutputStream().close();
    byte[] parsed = parser.getInputStream().readAllBytes();
    String errors = new String(parser.getErrorStream().readAllBytes(), UTF_8);
    assertThat(parser.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(parser.exitValue()).as("the parser's complaint: " + errors).isZero();
    List<JsonNode> samples = new ArrayList<>();
    JSON.reader().with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature()).readTree(parsed)
        .forEach(samples::add);
    return samples;
  }

  private static String script() throws IOException {
    try (InputStream in = AgentCommandOperationsIT.class.getResourceAsStream(
        "/parse_prometheus.py")) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  private static double sample(List<JsonNode> samples, String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.get("name").asText().equals(name))
        .filter(s -> labels.entrySet().stream().allMatch(l ->
            l.getValue().equals(s.get("labels").path(l.getKey()).asText(null))))
        .findFirst().orElseThrow(() -> new AssertionError("no sample " + name + labels))
        .get("value").asDouble();
  }

  private static List<JsonNode> reports(ByteArrayOutputStream out) {
    List<JsonNode> reports = new ArrayList<>();
    for (String line : out.toString(UTF_8).split("\n")) {
      if (line.startsWith("{")) {
        try {
          reports.add(JSON.readTree(line));
        } catch (IOException e) {
          // a line still being written
        }
      }
    }
    return reports;
  }

  private HttpResponse<String> get(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void await(String what, BooleanSupplier condition, ByteArrayOutputStream err)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; agent: "
            + err.toString(UTF_8));
      }
      Thread.sleep(100);
    }
  }
}
