package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

class RetryTest extends MockServerTest {
  private final ClientTestSupport.RecordingSleeper sleeper =
      new ClientTestSupport.RecordingSleeper();
  private final ClientTestSupport.MutableClock clock = new ClientTestSupport.MutableClock();

  private RegistryClient client(int maxRetries) {
    return ClientTestSupport.clientFor(server, sleeper)
        .clock(clock)
        .maxRetries(maxRetries)
        .retryBaseDelay(Duration.ofMillis(100))
        .maxRetryDelay(Duration.ofSeconds(10))
        .build();
  }

  @Test
  void retriesServerErrorsWithGrowingJitteredBackoff() {
    server.enqueue(status(503));
    server.enqueue(status(502));
    server.enqueue(status(500));
    server.enqueue(status(404));

    assertThat(client(4).headManifest(REPO, "v1")).isEmpty();

    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(sleeper.sleeps).hasSize(3);
    assertThat(sleeper.sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeper.sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sleeper.sleeps.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void honoursRetryAfterSecondsOn429() {
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7").build());
    server.enqueue(status(404));

    client(2).headManifest(REPO, "v1");

    assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void honoursRetryAfterHttpDate() {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.ofInstant(clock.instant().plusSeconds(4), java.time.ZoneOffset.UTC));
    server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", date).build());
    server.enqueue(status(404));

    client(2).headManifest(REPO, "v1");

    assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(4));
  }

  @Test
  void capsRetryAfterAtMaxRetryDelay() {
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").build());
    server.enqueue(status(404));

    client(2).headManifest(REPO, "v1");

    assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(10));
  }

  @Test
  void retriesRequestTimeout408() {
    server.enqueue(status(408));
    server.enqueue(status(404));

    assertThat(client(2).headManifest(REPO, "v1")).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void givesUpAfterMaxRetriesWithLastStatus() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(ClientTestSupport.ociError(503, "UNAVAILABLE", "service unavailable"));
    }

    assertThatThrownBy(() -> client(2).getManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("GET manifest library/app:v1")
        .hasMessageContaining("503 Service Unavailable [UNAVAILABLE: service unavailable]");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(sleeper.sleeps).hasSize(2);
  }

  @Test
  void doesNotRetryBadRequest() {
    server.enqueue(ClientTestSupport.ociError(400, "NAME_INVALID", "invalid repository name"));
    server.enqueue(status(200));

    assertThatThrownBy(() -> client(3).getManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("400 Bad Request");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps).isEmpty();
  }

  @Test
  void doesNotRetryNotFound() {
    server.enqueue(ClientTestSupport.ociError(404, "MANIFEST_UNKNOWN", "manifest unknown"));
    server.enqueue(status(200));

    assertThatThrownBy(() -> client(3).getManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("404 Not Found [MANIFEST_UNKNOWN: manifest unknown]");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void retriesConnectionFailuresThenReportsThem() throws Exception {
    String url = ClientTestSupport.baseUrl(server);
    server.close();
    RegistryClient client = RegistryClient.builder(url).sleeper(sleeper).maxRetries(2).build();

    assertThatThrownBy(client::ping)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("cannot connect to ")
        .hasMessageContaining("(after 3 attempts)")
        .satisfies(e -> assertThat(((RegistryException) e).statusCode()).isEmpty());
    assertThat(sleeper.sleeps).hasSize(2);
  }

  @Test
  void doesNotRetryStreamedUploadAndCancelsItsSession() throws Exception {
    server.enqueue(new MockResponse.Builder().code(202).setHeader("Location", "/up/1").build());
    server.enqueue(status(503));
    server.enqueue(status(404));
    server.enqueue(status(204));
    byte[] content = {1, 2, 3, 4};

    assertThatThrownBy(
            () ->
                client(3)
                    .pushBlob(
                        REPO,
                        Digest.of(content),
                        content.length,
                        new ByteArrayInputStream(content)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("503 Service Unavailable");
    assertThat(server.takeRequest().getMethod()).isEqualTo("POST");
    assertThat(server.takeRequest().getMethod()).isEqualTo("PUT");
    assertThat(server.takeRequest().getMethod())
        .as("a 5xx to a commit leaves its outcome unknown: is the blob there?")
        .isEqualTo("HEAD");
    assertThat(server.takeRequest().getMethod()).isEqualTo("DELETE");
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(sleeper.sleeps).isEmpty();
  }

  @Test
  void retriesInMemoryUpload() {
    server.enqueue(new MockResponse.Builder().code(202).setHeader("Location", "/up/1").build());
    server.enqueue(status(503));
    server.enqueue(status(201));

    client(3).pushBlob(REPO, new byte[] {1, 2, 3});

    assertThat(server.getRequestCount()).isEqualTo(3);
  }
}
