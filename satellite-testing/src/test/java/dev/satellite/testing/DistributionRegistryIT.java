package dev.satellite.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresRegistry
class DistributionRegistryIT {
  private static final OkHttpClient PLAIN = new OkHttpClient();

  @TempDir Path tmp;

  @Test
  void answersPingOverPlainHttp() throws Exception {
    try (DistributionRegistry registry = DistributionRegistry.builder().start()) {
      assertThat(registry.baseUrl()).isEqualTo("http://" + registry.hostPort());
      assertThat(status(PLAIN, registry.baseUrl() + "/v2/", null)).isEqualTo(200);
    }
  }

  @Test
  void rejectsAnonymousRequestWhenBasicAuthIsConfigured() throws Exception {
    try (DistributionRegistry registry =
        DistributionRegistry.builder().basicAuth("alice", "pa55word").start()) {
      assertThat(status(PLAIN, registry.baseUrl() + "/v2/", null)).isEqualTo(401);
    }
  }

  @Test
  void acceptsConfiguredCredentialsAndRejectsWrongPassword() throws Exception {
    try (DistributionRegistry registry =
        DistributionRegistry.builder().basicAuth("alice", "pa55word").start()) {
      String url = registry.baseUrl() + "/v2/";
      assertThat(status(PLAIN, url, Credentials.basic("alice", "pa55word"))).isEqualTo(200);
      assertThat(status(PLAIN, url, Credentials.basic("alice", "wrong"))).isEqualTo(401);
    }
  }

  @Test
  void servesTlsWithACertificateFromItsAuthority() throws Exception {
    TestCertificates.Authority ca = TestCertificates.authority(tmp, "ca-a");
    try (DistributionRegistry registry = DistributionRegistry.builder().tls(ca).start()) {
      assertThat(registry.baseUrl()).startsWith("https://127.0.0.1:");
      assertThat(registry.caCertificate()).isEqualTo(ca.certificatePem());
      assertThat(status(trusting(ca.trustingOnlyThis()), registry.baseUrl() + "/v2/", null))
          .isEqualTo(200);
    }
  }

  @Test
  void tlsRegistryIsNotTrustedByAClientTrustingAnotherAuthority() {
    TestCertificates.Authority ca = TestCertificates.authority(tmp, "ca-a");
    TestCertificates.Authority other = TestCertificates.authority(tmp, "ca-b");
    try (DistributionRegistry registry = DistributionRegistry.builder().tls(ca).start()) {
      OkHttpClient wrongTrust = trusting(other.trustingOnlyThis());
      assertThatThrownBy(() -> status(wrongTrust, registry.baseUrl() + "/v2/", null))
          .isInstanceOf(SSLException.class);
    }
  }

  @Test
  void requiredClientCertificateAdmitsIssuedClientAndRejectsOthers() throws Exception {
    TestCertificates.Authority serverCa = TestCertificates.authority(tmp, "server-ca");
    TestCertificates.Authority clientCa = TestCertificates.authority(tmp, "client-ca");
    try (DistributionRegistry registry =
        DistributionRegistry.builder().tls(serverCa).requireClientCertificate(clientCa).start()) {
      String url = registry.baseUrl() + "/v2/";
      TestCertificates.Issued client = clientCa.issueClient("edge-1");
      HandshakeCertificates withCert =
          new HandshakeCertificates.Builder()
              .addTrustedCertificate(serverCa.certificate().certificate())
              .heldCertificate(client.held())
              .build();
      assertThat(status(trusting(withCert), url, null)).isEqualTo(200);
      OkHttpClient withoutCert = trusting(serverCa.trustingOnlyThis());
      assertThatThrownBy(() -> status(withoutCert, url, null)).isInstanceOf(Exception.class);
    }
  }

  @Test
  void instancesRunSideBySideWithSeparateStorage() throws Exception {
    try (DistributionRegistry a = DistributionRegistry.builder().start();
        DistributionRegistry b = DistributionRegistry.builder().start()) {
      assertThat(a.hostPort()).isNotEqualTo(b.hostPort());
      assertThat(a.storageDir()).isNotEqualTo(b.storageDir());
      assertThat(status(PLAIN, a.baseUrl() + "/v2/", null)).isEqualTo(200);
      assertThat(status(PLAIN, b.baseUrl() + "/v2/", null)).isEqualTo(200);
    }
  }

  @Test
  void closeStopsTheRegistryAndKeepsACallerProvidedDirectory() throws Exception {
    DistributionRegistry registry = DistributionRegistry.builder().directory(tmp).start();
    String url = registry.baseUrl() + "/v2/";
    registry.close();
    assertThatThrownBy(() -> status(PLAIN, url, null)).isInstanceOf(java.io.IOException.class);
    assertThat(tmp.resolve("config.yml")).exists();
    assertThat(registry.logFile()).exists();
  }

  @Test
  void closeDeletesTheDirectoryItCreated() {
    DistributionRegistry registry = DistributionRegistry.builder().start();
    Path storage = registry.storageDir();
    registry.close();
    assertThat(Files.exists(storage.getParent())).isFalse();
  }

  private static OkHttpClient trusting(HandshakeCertificates certs) {
    return PLAIN.newBuilder()
        .sslSocketFactory(certs.sslSocketFactory(), certs.trustManager())
        .build();
  }

  private static int status(OkHttpClient client, String url, String authorization)
      throws Exception {
    Request.Builder request = new Request.Builder().url(url);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try (Response response = client.newCall(request.build()).execute()) {
      return response.code();
    }
  }
}
