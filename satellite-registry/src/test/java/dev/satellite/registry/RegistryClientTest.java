package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class RegistryClientTest extends MockServerTest {

  @Test
  void pingGetsV2Root() throws Exception {
    server.enqueue(ClientTestSupport.status(200));

    RegistryClient.builder(ClientTestSupport.baseUrl(server)).build().ping();

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/");
    assertThat(request.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void pingFailureSaysWhatAndWhere() {
    server.enqueue(ClientTestSupport.status(404));
    RegistryClient client =
        RegistryClient.builder(ClientTestSupport.baseUrl(server)).maxRetries(0).build();

    assertThatThrownBy(client::ping)
        .isInstanceOf(RegistryException.class)
        .hasMessage("ping " + client.registry() + ": 404 Not Found");
  }

  @Test
  void exposesRegistryAndBaseUrl() {
    RegistryClient client = RegistryClient.builder("https://harbor.example.com").build();

    assertThat(client.registry()).isEqualTo("harbor.example.com:443");
    assertThat(client.baseUrl()).isEqualTo("https://harbor.example.com");
    assertThat(RegistryClient.builder("127.0.0.1:5000").build().baseUrl())
        .isEqualTo("https://127.0.0.1:5000");
    assertThat(RegistryClient.builder("http://127.0.0.1:5000/").build().baseUrl())
        .isEqualTo("http://127.0.0.1:5000");
  }

  @Test
  void rejectsBaseUrlWithPathOrCredentials() {
    assertThatThrownBy(() -> RegistryClient.builder("https://h:5000/v2/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid registry URL 'https://h:5000/v2/'");
    assertThatThrownBy(() -> RegistryClient.builder("https://user:s3cret@h:5000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user info is not allowed")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RegistryClient.builder("ftp://h"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closedClientRefusesOperations() {
    RegistryClient client = RegistryClient.builder(ClientTestSupport.baseUrl(server)).build();

    client.close();

    assertThatThrownBy(client::ping)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThat(server.getRequestCount()).isZero();
  }

  /** close() ends this client's download in flight, and only its own: a sibling's goes on. */
  @Test
  void closeCancelsTheClientsRequestsInFlightOnly() throws Exception {
    byte[] blob = new byte[64 * 1024];
    java.util.Arrays.fill(blob, (byte) 1);
    for (int i = 0; i < 2; i++) {
      server.enqueue(
          new mockwebserver3.MockResponse.Builder()
              .body(new okio.Buffer().write(blob))
              .throttleBody(1024, 20, java.util.concurrent.TimeUnit.MILLISECONDS)
              .build());
    }
    OkHttpClient shared = new OkHttpClient();
    RegistryClient client =
        RegistryClient.builder(ClientTestSupport.baseUrl(server))
            .sharedHttpClient(shared)
            .maxRetries(0)
            .build();
    RegistryClient sibling = client.newBuilder().build();

    try (java.io.InputStream closing = client.openBlob("library/app", Digest.of(blob));
        java.io.InputStream going = sibling.openBlob("library/app", Digest.of(blob))) {
      closing.readNBytes(1024);
      client.close();
      client.close();

      assertThatThrownBy(closing::readAllBytes).isInstanceOf(RuntimeException.class);
      assertThat(going.readAllBytes()).hasSize(blob.length);
    }
  }

  @Test
  void clientsDerivedFromOneSharedClientShareItsConnectionPool() throws Exception {
    OkHttpClient shared = new OkHttpClient();
    server.enqueue(ClientTestSupport.status(200));
    server.enqueue(ClientTestSupport.status(200));
    String url = ClientTestSupport.baseUrl(server);

    RegistryClient.builder(url).sharedHttpClient(shared).build().ping();
    RegistryClient.builder(url).sharedHttpClient(shared).build().ping();

    server.takeRequest();
    assertThat(server.takeRequest().getConnectionIndex()).isZero();
    assertThat(shared.connectionPool().connectionCount()).isEqualTo(1);
  }
}
