package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static dev.satellite.registry.ClientTestSupport.bytes;
import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Basic credentials go to the client's own registry only, never to a redirect target. */
class BasicAuthTest {
  private static final String PASSWORD = "pa55word";
  private static final String BASIC = okhttp3.Credentials.basic("bob", PASSWORD);
  private static final byte[] BLOB =
      "layer-content".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private MockWebServer registry;
  private MockWebServer storage;
  private RegistryClient client;

  @BeforeEach
  void start() throws Exception {
    registry = new MockWebServer();
    registry.start();
    storage = new MockWebServer();
    storage.start();
    client =
        ClientTestSupport.clientFor(registry, new ClientTestSupport.RecordingSleeper())
            .credentials(Credentials.basic("bob", PASSWORD))
            .maxRetries(0)
            .build();
  }

  @AfterEach
  void stop() {
    registry.close();
    storage.close();
  }

  @Test
  void sendsBasicCredentialsPreemptivelyToOwnRegistry() throws Exception {
    registry.enqueue(status(200));

    client.ping();

    RecordedRequest request = registry.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo(BASIC);
  }

  @Test
  void newBuilderKeepsCredentialsAndLeavesTheOriginalClientAsItWas() throws Exception {
    registry.enqueue(status(200));
    registry.enqueue(status(200));

    RegistryClient derived = client.newBuilder().maxRetries(1).build();
    derived.ping();
    client.newBuilder().credentials(Credentials.anonymous()).build();
    client.ping();

    assertThat(derived.baseUrl()).isEqualTo(client.baseUrl());
    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo(BASIC);
    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo(BASIC);
  }

  /**
   * Each client authenticates in its own interceptor on its own derived OkHttp client: sharing the
   * application's client does not carry the pull side's credentials to the push side.
   */
  @Test
  void clientsSharingOneOkHttpClientKeepTheirCredentialsApart() throws Exception {
    okhttp3.OkHttpClient shared = new okhttp3.OkHttpClient();
    RegistryClient upstream =
        RegistryClient.builder(ClientTestSupport.baseUrl(registry))
            .sharedHttpClient(shared)
            .credentials(Credentials.basic("bob", PASSWORD))
            .build();
    RegistryClient edge =
        RegistryClient.builder(ClientTestSupport.baseUrl(storage)).sharedHttpClient(shared).build();
    registry.enqueue(status(200));
    storage.enqueue(status(200));

    upstream.ping();
    edge.ping();

    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo(BASIC);
    assertThat(storage.takeRequest().getHeaders().get("Authorization")).isNull();
    assertThat(shared.interceptors()).isEmpty();
  }

  @Test
  void dropsCredentialsOnRedirectToAnotherHost() throws Exception {
    registry.enqueue(
        new MockResponse.Builder()
            .code(307)
            .setHeader("Location", storage.url("/bucket/blob?sig=abc"))
            .build());
    storage.enqueue(bytes(200, BLOB));

    try (InputStream in = client.openBlob(REPO, Digest.of(BLOB))) {
      assertThat(in.readAllBytes()).isEqualTo(BLOB);
    }

    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo(BASIC);
    RecordedRequest redirected = storage.takeRequest();
    assertThat(redirected.getUrl().queryParameter("sig")).isEqualTo("abc");
    assertThat(redirected.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void keepsCredentialsOnRedirectWithinOwnRegistry() throws Exception {
    registry.enqueue(
        new MockResponse.Builder()
            .code(302)
            .setHeader("Location", "/v2/library/app/blobs/moved")
            .build());
    registry.enqueue(bytes(200, BLOB));

    try (InputStream in = client.openBlob(REPO, Digest.of(BLOB))) {
      in.readAllBytes();
    }

    registry.takeRequest();
    RecordedRequest second = registry.takeRequest();
    assertThat(second.getUrl().encodedPath()).isEqualTo("/v2/library/app/blobs/moved");
    assertThat(second.getHeaders().get("Authorization")).isEqualTo(BASIC);
  }

  /** A 302 keeps the method (OkHttp alone would turn a DELETE into a GET that looks done). */
  @Test
  void deleteRedirectedWith302StaysADelete() throws Exception {
    registry.enqueue(
        new MockResponse.Builder().code(302).setHeader("Location", "/v2/elsewhere").build());
    registry.enqueue(status(202));

    client.deleteManifest(REPO, Digest.of(BLOB));

    registry.takeRequest();
    RecordedRequest second = registry.takeRequest();
    assertThat(second.getMethod()).isEqualTo("DELETE");
    assertThat(second.getUrl().encodedPath()).isEqualTo("/v2/elsewhere");
    assertThat(second.getHeaders().get("Authorization")).isEqualTo(BASIC);
  }

  @Test
  void rejectedCredentialsFailWithoutShowingThePassword() {
    registry.enqueue(
        ClientTestSupport.ociError(401, "UNAUTHORIZED", "authentication required")
            .newBuilder()
            .setHeader("WWW-Authenticate", "Basic realm=\"registry\"")
            .build());

    assertThatThrownBy(() -> client.ping())
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("401 Unauthorized [UNAUTHORIZED: authentication required]")
        .hasMessageNotContaining(PASSWORD)
        .hasMessageNotContaining(BASIC.substring("Basic ".length()));
    assertThat(registry.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anonymousClientSaysNoCredentialsAreConfigured() {
    registry.enqueue(status(401));
    RegistryClient anonymous =
        ClientTestSupport.clientFor(registry, new ClientTestSupport.RecordingSleeper()).build();

    assertThatThrownBy(anonymous::ping)
        .hasMessageContaining("401 Unauthorized (no credentials are configured for ");
  }

  @Test
  void followsFiveRedirectsButNotSix() {
    for (int i = 0; i < 5; i++) {
      registry.enqueue(
          new MockResponse.Builder().code(302).setHeader("Location", "/v2/hop" + i).build());
    }
    registry.enqueue(new MockResponse.Builder().setHeader("Content-Length", 3).build());
    for (int i = 0; i < 6; i++) {
      registry.enqueue(
          new MockResponse.Builder().code(302).setHeader("Location", "/v2/loop" + i).build());
    }

    assertThat(client.headBlob(REPO, Digest.of(BLOB))).contains(3L);
    assertThatThrownBy(() -> client.headBlob(REPO, Digest.of(BLOB)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("more than 5 redirects");
  }
}
