package dev.satellite.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublisher;
import dev.satellite.registry.TlsOptions;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestCertificates;
import dev.satellite.testing.TestImages;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's API example, compiled against the installed satellite-agent and run in a JVM of its
 * own on the run-time class path a user gets, against two real registries over TLS: an upstream
 * with basic auth and a CA of its own, an edge with another.
 */
@RequiresRegistry
class ApiExampleTest {
  private static final String ROBOT = "robot$edge-1";
  private static final String PASSWORD = "consumer-robot-pw";

  @TempDir Path temp;

  @Test
  void theReadmeExampleCopiesTheDesiredImageToTheEdgeOverTls() throws Exception {
    TestCertificates.Authority upstreamCa = TestCertificates.authority(temp, "upstream");
    TestCertificates.Authority edgeCa = TestCertificates.authority(temp, "edge");
    try (DistributionRegistry upstream = DistributionRegistry.builder().tls(upstreamCa)
            .basicAuth(ROBOT, PASSWORD).start();
        DistributionRegistry edge = DistributionRegistry.builder().tls(edgeCa).start()) {
      String digest = upstream.push("apps/web", TestImages.image(TestImages.Format.OCI, 7,
          TestBlob.random(7, 512 * 1024)), "v1");
      String state = publishState(upstream, upstreamCa);

      Path output = temp.resolve("example.log");
      ProcessBuilder example = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", runtimeClassPath(), ApiExample.class.getName(),
          upstream.baseUrl(), upstreamCa.certificatePem().toString(), ROBOT, state,
          edge.baseUrl(), edgeCa.certificatePem().toString(), temp.resolve("state").toString())
          .redirectErrorStream(true).redirectOutput(output.toFile());
      example.environment().put("HARBOR_PASSWORD", PASSWORD);
      Process process = example.start();

      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(output)).isZero();
      assertThat(Files.readString(output)).contains("\"ok\":true");
      Request head = new Request.Builder().head()
          .url(edge.baseUrl() + "/v2/apps/web/manifests/v1")
          .header("Accept", "application/vnd.oci.image.manifest.v1+json").build();
      try (Response response = edge.httpClient().newCall(head).execute()) {
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.header("Docker-Content-Digest")).isEqualTo(digest);
      }
      assertThat(temp.resolve("state/checkpoint.json")).exists();
    }
  }

  /** target/classes and the run-time dependencies of satellite-agent, as Maven resolved them. */
  private static String runtimeClassPath() throws IOException {
    return Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
        + Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
  }

  private static String publishState(DistributionRegistry upstream,
      TestCertificates.Authority ca) {
    try (RegistryClient client = RegistryClient.builder(upstream.baseUrl())
        .credentials(Credentials.basic(ROBOT, PASSWORD))
        .tls(TlsOptions.builder().trustedCertificates(ca.certificatePem()).build()).build()) {
      StatePublisher publisher =
          StatePublisher.builder(client).sourceClientFactory(url -> client).build();
      String group = publisher.publishGroup("g1", upstream.baseUrl(),
          List.of(new StateImage("apps/web", List.of("v1"), Optional.empty()))).reference();
      return publisher.publishSatellite("edge-1", List.of(group), Optional.empty()).reference();
    }
  }
}
