package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsOptionsTest {
  private static final HeldCertificate SERVER_CA = ca("server-ca");
  private static final HeldCertificate OTHER_CA = ca("other-ca");
  private static final HeldCertificate CLIENT_CA = ca("client-ca");

  @TempDir Path dir;
  private MockWebServer server;
  private HeldCertificate serverCertificate;

  private static HeldCertificate ca(String name) {
    return new HeldCertificate.Builder().certificateAuthority(0).commonName(name).build();
  }

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    serverCertificate =
        new HeldCertificate.Builder()
            .commonName("registry")
            .addSubjectAlternativeName("localhost")
            .signedBy(SERVER_CA)
            .build();
    HandshakeCertificates serverTls =
        new HandshakeCertificates.Builder()
            .heldCertificate(serverCertificate, SERVER_CA.certificate())
            .addTrustedCertificate(CLIENT_CA.certificate())
            .build();
    server.useHttps(serverTls.sslSocketFactory());
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private RegistryClient client(TlsOptions tls) {
    return RegistryClient.builder("https://localhost:" + server.getPort())
        .tls(tls)
        .maxRetries(0)
        .build();
  }

  /** Restarts the server with a certificate from SERVER_CA for {@code hostName} only. */
  private void serveCertificateFor(String hostName) throws Exception {
    HeldCertificate certificate =
        new HeldCertificate.Builder()
            .addSubjectAlternativeName(hostName)
            .signedBy(SERVER_CA)
            .build();
    server.close();
    server = new MockWebServer();
    server.useHttps(
        new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
    server.start();
  }

  @Test
  void trustsServerSignedByConfiguredCa() throws Exception {
    server.enqueue(status(200));
    Path ca = write("ca.pem", OTHER_CA.certificatePem() + SERVER_CA.certificatePem());

    client(TlsOptions.builder().trustedCertificates(ca).build()).ping();

    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v2/");
  }

  @Test
  void rejectsServerSignedByAnotherCaWithClearTlsError() throws Exception {
    Path ca = write("ca.pem", OTHER_CA.certificatePem());

    assertThatThrownBy(() -> client(TlsOptions.builder().trustedCertificates(ca).build()).ping())
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("ping localhost:" + server.getPort())
        .hasMessageContaining("TLS handshake with localhost:" + server.getPort() + " failed")
        .hasMessageContaining("not trusted");
  }

  @Test
  void systemTrustRejectsPrivateCa() {
    assertThatThrownBy(() -> client(TlsOptions.systemDefault()).ping())
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("TLS handshake");
  }

  @Test
  void insecureSkipVerifyAcceptsUntrustedServer() throws Exception {
    server.enqueue(status(200));

    client(TlsOptions.builder().insecureSkipVerify().build()).ping();

    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void verifiesHostNameEvenWithTrustedCa() throws Exception {
    serveCertificateFor("elsewhere.example");
    Path ca = write("ca.pem", SERVER_CA.certificatePem());

    assertThatThrownBy(() -> client(TlsOptions.builder().trustedCertificates(ca).build()).ping())
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("TLS handshake");
  }

  @Test
  void hostNameIsVerifiedEvenWhenTheSharedClientDoesNot() throws Exception {
    serveCertificateFor("elsewhere.example");
    Path ca = write("ca.pem", SERVER_CA.certificatePem());
    OkHttpClient lax = new OkHttpClient.Builder().hostnameVerifier((host, session) -> true).build();

    RegistryClient client = RegistryClient.builder("https://localhost:" + server.getPort())
        .sharedHttpClient(lax)
        .tls(TlsOptions.builder().trustedCertificates(ca).build())
        .maxRetries(0)
        .build();

    assertThatThrownBy(client::ping)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("TLS handshake");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void presentsEcClientCertificateForMutualTls() throws Exception {
    HeldCertificate clientCert =
        new HeldCertificate.Builder().commonName("edge-1").ecdsa256().signedBy(CLIENT_CA).build();

    assertClientCertificatePresented(clientCert, clientCert.privateKeyPkcs8Pem());
  }

  @Test
  void presentsRsaClientCertificateWithPkcs1Key() throws Exception {
    HeldCertificate clientCert =
        new HeldCertificate.Builder().commonName("edge-1").rsa2048().signedBy(CLIENT_CA).build();

    assertClientCertificatePresented(clientCert, clientCert.privateKeyPkcs1Pem());
  }

  /** Connects to a server that requires a client certificate, presenting {@code clientCert}. */
  private void assertClientCertificatePresented(HeldCertificate clientCert, String keyPem)
      throws Exception {
    server.requireClientAuth();
    server.enqueue(status(200));
    Path ca = write("ca.pem", SERVER_CA.certificatePem());
    Path cert = write("client.pem", clientCert.certificatePem());
    Path key = write("client.key", keyPem);

    client(TlsOptions.builder().trustedCertificates(ca).clientCertificate(cert, key).build())
        .ping();

    RecordedRequest request = server.takeRequest();
    X509Certificate presented = (X509Certificate) request.getHandshake().peerCertificates().get(0);
    assertThat(presented).isEqualTo(clientCert.certificate());
  }

  /** A throwaway P-256 test key, in SEC1 ("EC PRIVATE KEY") and PKCS#8 form, and its public key. */
  private static final String EC_KEY_SEC1 =
      "MHcCAQEEIOOmFZfvarIO9sPabIW5XqOhmgbsebW1+HY1tARyGJnwoAoGCCqGSM49"
          + "AwEHoUQDQgAE4DLp6fbLfD70aUT7CjzSbtLj0JeME1PAB4BBJXjEfQC85Qa83Jsq"
          + "8ie5+vbDQVbgXuEFFbStaZ0ZGi4ACtFKNA==";

  private static final String EC_KEY_PKCS8 =
      "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg46YVl+9qsg72w9ps"
          + "hbleo6GaBux5tbX4djW0BHIYmfChRANCAATgMunp9st8PvRpRPsKPNJu0uPQl4wT"
          + "U8AHgEEleMR9ALzlBrzcmyryJ7n69sNBVuBe4QUVtK1pnRkaLgAK0Uo0";
  private static final String EC_PUBLIC_KEY =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4DLp6fbLfD70aUT7CjzSbtLj0JeM"
          + "E1PAB4BBJXjEfQC85Qa83Jsq8ie5+vbDQVbgXuEFFbStaZ0ZGi4ACtFKNA==";

  @Test
  void presentsEcClientCertificateWithSec1Key() throws Exception {
    KeyFactory ec = KeyFactory.getInstance("EC");
    PublicKey publicKey =
        ec.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(EC_PUBLIC_KEY)));
    PrivateKey privateKey =
        ec.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(EC_KEY_PKCS8)));
    HeldCertificate clientCert =
        new HeldCertificate.Builder()
            .commonName("edge-1")
            .keyPair(publicKey, privateKey)
            .signedBy(CLIENT_CA)
            .build();

    assertClientCertificatePresented(
        clientCert,
        "-----BEGIN EC PRIVATE KEY-----\n" + EC_KEY_SEC1 + "\n-----END EC PRIVATE KEY-----\n");
  }

  @Test
  void serverRequiringClientCertificateRejectsClientWithoutOne() throws Exception {
    server.requireClientAuth();
    server.enqueue(status(200));
    Path ca = write("ca.pem", SERVER_CA.certificatePem());

    assertThatThrownBy(() -> client(TlsOptions.builder().trustedCertificates(ca).build()).ping())
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("ping localhost:" + server.getPort());
  }

  @Test
  void invalidCaFileIsNamedInTheError() throws Exception {
    Path ca = write("broken-ca.pem", "not a certificate");

    assertThatThrownBy(() -> client(TlsOptions.builder().trustedCertificates(ca).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trusted certificates " + ca)
        .hasMessageContaining("no PEM CERTIFICATE block found");
  }

  @Test
  void missingKeyFileIsNamedInTheError() throws Exception {
    Path cert = write("client.pem", CLIENT_CA.certificatePem());
    Path key = dir.resolve("missing.key");

    assertThatThrownBy(() -> client(TlsOptions.builder().clientCertificate(cert, key).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client key " + key)
        .hasMessageContaining("cannot read file");
  }

  @Test
  void encryptedKeyIsRefusedClearly() throws Exception {
    Path cert = write("client.pem", CLIENT_CA.certificatePem());
    Path key =
        write(
            "enc.key",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

    assertThatThrownBy(() -> client(TlsOptions.builder().clientCertificate(cert, key).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encrypted private keys are not supported");
  }

  @Test
  void trustedCaAndInsecureSkipVerifyContradict() throws Exception {
    Path ca = write("ca.pem", SERVER_CA.certificatePem());

    assertThatThrownBy(
            () -> TlsOptions.builder().trustedCertificates(ca).insecureSkipVerify().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contradict");
  }

  @Test
  void refusesRedirectFromHttpsToPlainHttp() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(307)
            .setHeader("Location", "http://localhost:1/blob")
            .build());

    assertThatThrownBy(
            () ->
                client(TlsOptions.builder().insecureSkipVerify().build())
                    .headBlob("library/app", Digest.of(new byte[0])))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("refusing redirect from HTTPS to plain HTTP");
  }
  /**
   * A plain-HTTP registry client sets up TLS only when a redirect leads it to an HTTPS URL; the
   * target is then verified against the system trust store like any HTTPS registry.
   */
  @Test
  void plainHttpRegistryRedirectedToHttpsVerifiesWithSystemTrust() throws Exception {
    try (MockWebServer plain = new MockWebServer()) {
      plain.start();
      plain.enqueue(redirectTo(server.url("/blob").toString()));
      RegistryClient client =
          RegistryClient.builder(ClientTestSupport.baseUrl(plain)).maxRetries(0).build();

      assertThatThrownBy(() -> client.headBlob("library/app", Digest.of(new byte[0])))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("TLS handshake with localhost:" + server.getPort() + " failed")
          .hasMessageContaining("not trusted");
      assertThat(server.getRequestCount()).isZero();
    }
  }

  @Test
  void plainHttpRegistryRedirectedToHttpsUsesItsTrustedCa() throws Exception {
    Path ca = write("ca.pem", SERVER_CA.certificatePem());
    Digest empty = Digest.of(new byte[0]);
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .setHeader("Content-Length", "0")
            .setHeader("Docker-Content-Digest", empty.toString())
            .build());
    try (MockWebServer plain = new MockWebServer()) {
      plain.start();
      plain.enqueue(redirectTo(server.url("/blob").toString()));
      RegistryClient client =
          RegistryClient.builder(ClientTestSupport.baseUrl(plain))
              .tls(TlsOptions.builder().trustedCertificates(ca).build())
              .maxRetries(0)
              .build();

      assertThat(client.headBlob("library/app", empty)).contains(0L);
      assertThat(server.takeRequest().getHandshake()).isNotNull();
    }
  }

  private static MockResponse redirectTo(String location) {
    return new MockResponse.Builder().code(307).setHeader("Location", location).build();
  }
}
