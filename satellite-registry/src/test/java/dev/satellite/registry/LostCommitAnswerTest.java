package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static dev.satellite.registry.ClientTestSupport.ociError;
import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

/**
 * The committing {@code PUT ?digest=} of an upload whose answer is lost: the registry committed
 * the blob and forgot the session, the client never heard. A retry then meets {@code 404
 * BLOB_UPLOAD_UNKNOWN}; the client asks whether the repository has the blob before calling the
 * upload failed.
 */
class LostCommitAnswerTest extends MockServerTest {
  private static final byte[] CONTENT = "0123456789".getBytes(StandardCharsets.US_ASCII);
  private static final Digest DIGEST = Digest.of(CONTENT);
  private static final String OPEN = "POST /v2/library/app/blobs/uploads/";
  private static final String HEAD = "HEAD /v2/library/app/blobs/" + DIGEST;

  private final ClientTestSupport.RecordingSleeper sleeper =
      new ClientTestSupport.RecordingSleeper();

  /** Retries twice; gives up reading an answer after 300 ms. */
  private RegistryClient client() {
    return ClientTestSupport.clientFor(server, sleeper)
        .maxRetries(2)
        .readTimeout(Duration.ofMillis(300))
        .chunkedUploadThreshold(1024)
        .uploadChunkSize(16)
        .build();
  }

  private static MockResponse accepted(String location) {
    return new MockResponse.Builder().code(202).setHeader("Location", location).build();
  }

  /** Takes the request and sends nothing back: the client's read times out. */
  private static MockResponse stalled() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  /** The committing {@code PUT} to {@code session}, as {@link #requests} lists it. */
  private static String commit(String session) {
    return "PUT " + session + "?digest=" + DIGEST;
  }

  /**
   * Scripts a session at {@code session} whose commit's answer stalls; the retry finds the
   * session gone.
   */
  private void enqueueLostCommit(String session) {
    server.enqueue(accepted(session));
    server.enqueue(stalled());
    server.enqueue(sessionUnknown());
  }

  private static MockResponse sessionUnknown() {
    return ociError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
  }

  private static MockResponse blobPresent() {
    return new MockResponse.Builder().code(200).setHeader("Content-Length", "10").build();
  }

  @Test
  void inMemoryBlobIsPushedWhenTheCommitsAnswerStallsAndTheRepositoryHasTheBlob() {
    enqueueLostCommit("/up/1");
    server.enqueue(blobPresent());

    assertThat(client().pushBlob(REPO, CONTENT)).isEqualTo(DIGEST);

    assertThat(requests()).containsExactly(OPEN, commit("/up/1"), commit("/up/1"), HEAD);
    assertThat(sleeper.sleeps).as("one retry of the commit").hasSize(1);
  }

  @Test
  void streamedBlobIsPushedWhenItsOnlyCommitAttemptStallsAndTheRepositoryHasTheBlob() {
    server.enqueue(accepted("/up/1"));
    server.enqueue(stalled());
    server.enqueue(blobPresent());

    client().pushBlob(REPO, DIGEST, CONTENT.length, new ByteArrayInputStream(CONTENT));

    assertThat(requests()).as("a streamed body is sent once, never retried").containsExactly(
        OPEN, commit("/up/1"), HEAD);
  }

  @Test
  void chunkedUploadIsPushedWhenTheClosingPutsAnswerStallsAndTheRepositoryHasTheBlob() {
    server.enqueue(accepted("/up/1"));
    enqueueLostCommit("/up/2");
    server.enqueue(blobPresent());

    client().pushBlob(REPO, DIGEST, -1, new ByteArrayInputStream(CONTENT));

    assertThat(requests())
        .containsExactly(OPEN, "PATCH /up/1", commit("/up/2"), commit("/up/2"), HEAD);
  }

  @Test
  void resumableUploadIsPushedWhenTheClosingPutsAnswerStallsAndTheRepositoryHasTheBlob() {
    server.enqueue(accepted("/up/1"));
    enqueueLostCommit("/up/2");
    server.enqueue(blobPresent());
    List<Long> positions = new ArrayList<>();

    client().resumableBlobs().pushBlobInChunks(REPO, DIGEST, CONTENT.length,
        new ByteArrayInputStream(CONTENT), 16, Optional.empty(), p -> positions.add(p.offset()));

    assertThat(positions).containsExactly(10L);
    assertThat(requests())
        .containsExactly(OPEN, "PATCH /up/1", commit("/up/2"), commit("/up/2"), HEAD);
  }

  @Test
  void commitRepeatedByOkHttpAfterTheConnectionClosedUnansweredIsDoneWhenTheRepositoryHasTheBlob() {
    server.enqueue(accepted("/up/1"));
    server.enqueue(new MockResponse.Builder()
        .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(sessionUnknown());
    server.enqueue(blobPresent());
    RegistryClient noRetries = client().newBuilder().maxRetries(0).build();

    assertThat(noRetries.pushBlob(REPO, CONTENT)).isEqualTo(DIGEST);

    assertThat(requests()).as("OkHttp repeats a request on a pooled connection that closed")
        .containsExactly(OPEN, commit("/up/1"), commit("/up/1"), HEAD);
    assertThat(sleeper.sleeps).isEmpty();
  }

  @Test
  void streamedCommitAnswered504ByAGatewayIsDoneWhenTheRepositoryHasTheBlob() {
    server.enqueue(accepted("/up/1"));
    server.enqueue(ociError(504, "UNAVAILABLE", "upstream timed out"));
    server.enqueue(blobPresent());

    client().pushBlob(REPO, DIGEST, CONTENT.length, new ByteArrayInputStream(CONTENT));

    assertThat(requests()).containsExactly(OPEN, commit("/up/1"), HEAD);
  }

  @Test
  void commitAnsweredByAGateway502ThenSessionUnknownIsDoneWhenTheRepositoryHasTheBlob() {
    server.enqueue(accepted("/up/1"));
    server.enqueue(ociError(502, "UNAVAILABLE", "upstream timed out"));
    server.enqueue(sessionUnknown());
    server.enqueue(blobPresent());

    assertThat(client().pushBlob(REPO, CONTENT)).isEqualTo(DIGEST);

    assertThat(requests()).containsExactly(OPEN, commit("/up/1"), commit("/up/1"), HEAD);
  }

  @Test
  void chunkedUploadFailsNamingWhatHappenedWhenTheSessionIsGoneAndTheBlobIsNot() {
    server.enqueue(accepted("/up/1"));
    enqueueLostCommit("/up/2");
    server.enqueue(status(404));

    assertThatThrownBy(
            () -> client().pushBlob(REPO, DIGEST, -1, new ByteArrayInputStream(CONTENT)))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("push blob " + DIGEST + " to "
            + ClientTestSupport.baseUrl(server).substring("http://".length()) + "/library/app: "
            + "404 Not Found [BLOB_UPLOAD_UNKNOWN: blob upload unknown to registry]")
        .hasMessageContaining("an earlier attempt of the committing PUT went unanswered")
        .hasMessageEndingWith("the repository does not have the blob: the upload did not complete")
        .satisfies(e -> assertThat(((RegistryException) e).statusCode()).hasValue(404));

    assertThat(requests()).as("the data was streamed once; no new session, no DELETE of a"
            + " session the registry forgot")
        .containsExactly(OPEN, "PATCH /up/1", commit("/up/2"), commit("/up/2"), HEAD);
  }

  @Test
  void inMemoryBlobIsSentAgainInANewSessionWhenTheSessionIsGoneAndTheBlobIsNot() {
    enqueueLostCommit("/up/1");
    server.enqueue(status(404));
    server.enqueue(accepted("/up/2"));
    server.enqueue(status(201));

    assertThat(client().pushBlob(REPO, CONTENT)).isEqualTo(DIGEST);

    assertThat(requests()).containsExactly(
        OPEN, commit("/up/1"), commit("/up/1"), HEAD, OPEN, commit("/up/2"));
  }

  @Test
  void inMemoryBlobGetsOneNewSessionOnly() {
    for (String session : List.of("/up/1", "/up/2")) {
      enqueueLostCommit(session);
      server.enqueue(status(404));
    }

    assertThatThrownBy(() -> client().pushBlob(REPO, CONTENT))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("404 Not Found [BLOB_UPLOAD_UNKNOWN")
        .hasMessageContaining("the upload did not complete");

    assertThat(requests()).containsExactly(
        OPEN, commit("/up/1"), commit("/up/1"), HEAD,
        OPEN, commit("/up/2"), commit("/up/2"), HEAD);
  }

  @Test
  void sessionUnknownToACommitWhoseAttemptsWereAllAnsweredFailsWithoutAskingForTheBlob() {
    server.enqueue(accepted("/up/1"));
    server.enqueue(sessionUnknown());
    server.enqueue(sessionUnknown());

    assertThatThrownBy(() -> client().pushBlob(REPO, CONTENT))
        .isInstanceOf(RegistryException.class)
        .hasMessageEndingWith("/library/app: "
            + "404 Not Found [BLOB_UPLOAD_UNKNOWN: blob upload unknown to registry]");

    assertThat(requests()).as("no HEAD, no new session; the usual best-effort cancel")
        .containsExactly(OPEN, commit("/up/1"), "DELETE /up/1");
  }

  @Test
  void commitWhoseAnswerIsLostAndWhoseBlobCannotBeCheckedFailsWithTheOriginalError() {
    server.enqueue(accepted("/up/1"));
    server.enqueue(stalled());
    server.enqueue(ociError(401, "UNAUTHORIZED", "authentication required"));
    server.enqueue(status(404));

    assertThatThrownBy(
            () -> client().pushBlob(REPO, DIGEST, CONTENT.length,
                new ByteArrayInputStream(CONTENT)))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("push blob " + DIGEST + " to ")
        .hasMessageContaining("timed out talking to")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement().satisfies(head ->
            assertThat(head).hasMessageContaining("HEAD blob library/app@" + DIGEST)
                .hasMessageContaining("401 Unauthorized")));

    assertThat(requests()).containsExactly(OPEN, commit("/up/1"), HEAD, "DELETE /up/1");
  }

  /** Every request the server received, as {@code METHOD path?query}. */
  private List<String> requests() {
    List<String> lines = new ArrayList<>();
    try {
      for (int i = server.getRequestCount(); i > 0; i--) {
        RecordedRequest r = server.takeRequest();
        String query = r.getUrl().encodedQuery();
        lines.add(r.getMethod() + " " + r.getUrl().encodedPath()
            + (query == null ? "" : "?" + r.getUrl().query()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return lines;
  }
}
