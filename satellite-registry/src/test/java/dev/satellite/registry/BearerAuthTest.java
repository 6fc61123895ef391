package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BearerAuthTest {
  private static final String PASSWORD = "s3cret-pa55";

  private MockWebServer registry;
  private MockWebServer tokenService;
  private final ClientTestSupport.MutableClock clock = new ClientTestSupport.MutableClock();

  @BeforeEach
  void start() throws Exception {
    registry = new MockWebServer();
    registry.start();
    tokenService = new MockWebServer();
    tokenService.start();
  }

  @AfterEach
  void stop() {
    registry.close();
    tokenService.close();
  }

  private RegistryClient client(Credentials credentials) {
    return ClientTestSupport.clientFor(registry, new ClientTestSupport.RecordingSleeper())
        .credentials(credentials)
        .clock(clock)
        .maxRetries(0)
        .build();
  }

  private MockResponse challenge(String scope) {
    return new MockResponse.Builder()
        .code(401)
        .setHeader(
            "WWW-Authenticate",
            "Bearer realm=\""
                + tokenService.url("/token")
                + "\",service=\"test-registry\",scope=\""
                + scope
                + "\"")
        .build();
  }

  private static MockResponse token(String value, int expiresIn) {
    return new MockResponse.Builder()
        .setHeader("Content-Type", "application/json")
        .body("{\"token\":\"" + value + "\",\"expires_in\":" + expiresIn + "}")
        .build();
  }

  @Test
  void fetchesTokenFromRealmWithServiceScopeAndBasicCredentials() throws Exception {
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(status(404));
    tokenService.enqueue(token("tok-1", 300));

    client(Credentials.basic("alice", PASSWORD)).headManifest(REPO, "v1");

    RecordedRequest tokenRequest = tokenService.takeRequest();
    assertThat(tokenRequest.getUrl().encodedPath()).isEqualTo("/token");
    assertThat(tokenRequest.getUrl().queryParameter("service")).isEqualTo("test-registry");
    assertThat(tokenRequest.getUrl().queryParameterValues("scope"))
        .containsExactly("repository:library/app:pull");
    assertThat(tokenRequest.getHeaders().get("Authorization"))
        .isEqualTo(okhttp3.Credentials.basic("alice", PASSWORD));
    registry.takeRequest();
    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
  }

  /**
   * The token is added once, to the request the client made, not to each hop: OkHttp removes it on
   * the way to another host and nothing puts it back.
   */
  @Test
  void tokenIsNotSentToARedirectTargetOnAnotherHost() throws Exception {
    byte[] blob = "blob".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (MockWebServer storage = new MockWebServer()) {
      storage.start();
      registry.enqueue(challenge("repository:library/app:pull"));
      registry.enqueue(
          new MockResponse.Builder().code(307).setHeader("Location", storage.url("/b?sig=x")).build());
      storage.enqueue(ClientTestSupport.bytes(200, blob));
      tokenService.enqueue(token("tok-1", 300));

      try (var in = client(Credentials.basic("alice", PASSWORD)).openBlob(REPO, Digest.of(blob))) {
        assertThat(in.readAllBytes()).isEqualTo(blob);
      }

      registry.takeRequest();
      assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
      assertThat(storage.takeRequest().getHeaders().get("Authorization")).isNull();
    }
  }

  /** A 401 from a redirect target is its own business: no token is fetched, no credential sent. */
  @Test
  void unauthorizedFromRedirectTargetFetchesNoToken() throws Exception {
    try (MockWebServer storage = new MockWebServer()) {
      storage.start();
      registry.enqueue(
          new MockResponse.Builder().code(307).setHeader("Location", storage.url("/b")).build());
      storage.enqueue(challenge("repository:library/app:pull"));

      assertThatThrownBy(
              () -> client(Credentials.basic("alice", PASSWORD)).headBlob(REPO, Digest.of(new byte[0])))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("401 Unauthorized");

      assertThat(tokenService.getRequestCount()).isZero();
      assertThat(storage.getRequestCount()).isEqualTo(1);
      assertThat(storage.takeRequest().getHeaders().get("Authorization")).isNull();
    }
  }

  @Test
  void reusesCachedTokenForTheSameScope() throws Exception {
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(status(404));
    registry.enqueue(status(404));
    tokenService.enqueue(token("tok-1", 300));
    RegistryClient client = client(Credentials.anonymous());

    client.headManifest(REPO, "v1");
    client.headManifest(REPO, "v2");

    assertThat(tokenService.getRequestCount()).isEqualTo(1);
    registry.takeRequest();
    registry.takeRequest();
    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer tok-1");
  }

  @Test
  void fetchesNewTokenAfterExpiry() throws Exception {
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(status(404));
    registry.enqueue(status(404));
    tokenService.enqueue(token("tok-1", 60));
    tokenService.enqueue(token("tok-2", 60));
    RegistryClient client = client(Credentials.anonymous());

    client.headManifest(REPO, "v1");
    clock.advance(Duration.ofSeconds(61));
    client.headManifest(REPO, "v1");

    assertThat(tokenService.getRequestCount()).isEqualTo(2);
    registry.takeRequest();
    registry.takeRequest();
    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer tok-2");
  }

  @Test
  void defaultsTokenLifetimeTo60SecondsWithoutExpiresIn() {
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(status(404));
    registry.enqueue(status(404));
    registry.enqueue(status(404));
    tokenService.enqueue(new MockResponse.Builder().body("{\"access_token\":\"tok-1\"}").build());
    tokenService.enqueue(new MockResponse.Builder().body("{\"access_token\":\"tok-2\"}").build());
    RegistryClient client = client(Credentials.anonymous());

    client.headManifest(REPO, "v1");
    clock.advance(Duration.ofSeconds(30));
    client.headManifest(REPO, "v1");
    assertThat(tokenService.getRequestCount()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(31));
    client.headManifest(REPO, "v1");
    assertThat(tokenService.getRequestCount()).isEqualTo(2);
  }

  @Test
  void asksForTokenOfNewScopeWithoutWaitingForAChallenge() throws Exception {
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(status(404));
    registry.enqueue(status(404));
    tokenService.enqueue(token("tok-app", 300));
    tokenService.enqueue(token("tok-other", 300));
    RegistryClient client = client(Credentials.anonymous());

    client.headManifest(REPO, "v1");
    client.headManifest("library/other", "v1");

    tokenService.takeRequest();
    assertThat(tokenService.takeRequest().getUrl().queryParameterValues("scope"))
        .containsExactly("repository:library/other:pull");
    assertThat(registry.getRequestCount()).isEqualTo(3);
  }

  @Test
  void refreshesTokenOnceOn401ThenFailsClearly() throws Exception {
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(challenge("repository:library/app:pull"));
    tokenService.enqueue(token("tok-1", 300));
    tokenService.enqueue(token("tok-2", 300));

    assertThatThrownBy(() -> client(Credentials.basic("alice", PASSWORD)).headManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("HEAD manifest library/app:v1")
        .hasMessageContaining("401 Unauthorized (a token fetched anew for it was refused too)")
        .hasMessageNotContaining(PASSWORD);
    assertThat(tokenService.getRequestCount()).isEqualTo(2);
    assertThat(registry.getRequestCount()).isEqualTo(3);
  }

  @Test
  void refreshesRevokedCachedTokenOnce() throws Exception {
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(status(404));
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(status(404));
    tokenService.enqueue(token("tok-1", 300));
    tokenService.enqueue(token("tok-2", 300));
    RegistryClient client = client(Credentials.anonymous());

    client.headManifest(REPO, "v1");
    assertThat(client.headManifest(REPO, "v1")).isEmpty();

    assertThat(tokenService.getRequestCount()).isEqualTo(2);
    for (int i = 0; i < 3; i++) {
      registry.takeRequest();
    }
    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer tok-2");
  }

  @Test
  void concurrentChallengesShareOneTokenFetch() throws Exception {
    AtomicInteger tokenFetches = new AtomicInteger();
    registry.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return "Bearer tok-1".equals(request.getHeaders().get("Authorization"))
                ? status(404)
                : challenge("repository:library/app:pull");
          }
        });
    tokenService.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            tokenFetches.incrementAndGet();
            return token("tok-1", 300);
          }
        });
    RegistryClient client = client(Credentials.anonymous());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Optional<Descriptor>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> client.headManifest(REPO, "v1")));
      }
      for (Future<Optional<Descriptor>> result : results) {
        assertThat(result.get()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(tokenFetches.get()).isEqualTo(1);
  }

  @Test
  void anonymousTokenRequestCarriesNoCredentials() throws Exception {
    registry.enqueue(challenge("repository:library/app:pull"));
    registry.enqueue(status(404));
    tokenService.enqueue(token("tok-1", 300));

    client(Credentials.anonymous()).headManifest(REPO, "v1");

    assertThat(tokenService.takeRequest().getHeaders().get("Authorization")).isNull();
    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isNull();
  }

  @Test
  void tokenServiceRefusalNamesRealmAndScopeButNoSecret() {
    registry.enqueue(challenge("repository:library/app:pull"));
    tokenService.enqueue(
        ClientTestSupport.ociError(401, "UNAUTHORIZED", "authentication required"));

    assertThatThrownBy(() -> client(Credentials.basic("alice", PASSWORD)).headManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("GET token for repository:library/app:pull from ")
        .hasMessageContaining("401 Unauthorized [UNAUTHORIZED: authentication required]")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void anonymousRefusalByTokenServiceSaysNoCredentialsAreConfigured() {
    registry.enqueue(challenge("repository:library/app:pull"));
    tokenService.enqueue(status(401));

    assertThatThrownBy(() -> client(Credentials.anonymous()).headManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("401 Unauthorized (no credentials are configured");
  }

  @Test
  void pushOperationsAskForPullAndPushScope() throws Exception {
    registry.enqueue(challenge("repository:library/app:pull,push"));
    registry.enqueue(
        new MockResponse.Builder().code(202).setHeader("Location", "/upload/1").build());
    registry.enqueue(status(201));
    tokenService.enqueue(token("tok-1", 300));

    client(Credentials.anonymous()).pushBlob(REPO, new byte[] {1, 2, 3});

    assertThat(tokenService.takeRequest().getUrl().queryParameterValues("scope"))
        .containsExactly("repository:library/app:pull,push");
  }

  @Test
  void mountAsksForPushScopeOnTargetAndPullScopeOnSource() throws Exception {
    registry.enqueue(challenge("repository:library/app:pull,push"));
    registry.enqueue(status(201));
    tokenService.enqueue(token("tok-1", 300));

    client(Credentials.anonymous()).mountBlob(REPO, Digest.of(new byte[] {1}), "library/base");

    assertThat(tokenService.takeRequest().getUrl().queryParameterValues("scope"))
        .containsExactly("repository:library/app:pull,push", "repository:library/base:pull");
  }
}
