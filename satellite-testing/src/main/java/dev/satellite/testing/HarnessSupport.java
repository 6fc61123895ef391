package dev.satellite.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;

/** Ports, directories and the readiness probe client of {@link DistributionRegistry}. */
final class HarnessSupport {
  private HarnessSupport() {}

  /**
   * A raw client that trusts {@code serverCa} (when TLS is on) and presents a certificate issued
   * by {@code clientCa} (when the registry requires one). Either may be null.
   */
  static OkHttpClient probeClient(
      TestCertificates.Authority serverCa, TestCertificates.Authority clientCa) {
    OkHttpClient.Builder http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(30))
            .retryOnConnectionFailure(false);
    if (serverCa != null) {
      HandshakeCertificates.Builder tls =
          new HandshakeCertificates.Builder()
              .addTrustedCertificate(serverCa.certificate().certificate());
      if (clientCa != null) {
        TestCertificates.Issued probe = clientCa.issueClient("registry-harness");
        tls.heldCertificate(probe.held());
      }
      HandshakeCertificates certs = tls.build();
      http.sslSocketFactory(certs.sslSocketFactory(), certs.trustManager());
    }
    return http.build();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("delete " + dir, e);
    }
  }
}
