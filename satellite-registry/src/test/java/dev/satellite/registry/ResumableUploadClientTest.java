package dev.satellite.registry;

import dev.satellite.registry.internal.blob.UploadPosition;
import static dev.satellite.registry.ClientTestSupport.REPO;
import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The protocol pieces of resumable copies, scripted: upload status, chunked uploads that report
 * their position and continue a session, and blob reads that start at an offset.
 */
class ResumableUploadClientTest extends MockServerTest {
  private static final byte[] CONTENT = "0123456789".getBytes(StandardCharsets.US_ASCII);
  private static final Digest DIGEST = Digest.of(CONTENT);

  private RegistryClient client() {
    return ClientTestSupport.clientFor(server, new ClientTestSupport.RecordingSleeper())
        .maxRetries(0)
        .build();
  }

  private static MockResponse accepted(String location) {
    return new MockResponse.Builder().code(202).setHeader("Location", location).build();
  }

  private static MockResponse uploadStatus(String location, String range) {
    return new MockResponse.Builder().code(204).setHeader("Location", location)
        .setHeader("Range", range).build();
  }

  @Test
  void uploadStatusReadsTheAcceptedBytesFromTheRangeAndTakesTheLatestLocation() throws Exception {
    server.enqueue(uploadStatus("/v2/library/app/blobs/uploads/u1?_state=s4", "0-3"));

    Optional<UploadPosition> position =
        client().resumableBlobs().uploadStatus(REPO, DIGEST, server.url("/v2/library/app/blobs/uploads/u1?_state=s2")
            .toString());

    assertThat(position).contains(new UploadPosition(
        server.url("/v2/library/app/blobs/uploads/u1?_state=s4").toString(), 4));
    RecordedRequest get = server.takeRequest();
    assertThat(get.getMethod()).isEqualTo("GET");
    assertThat(get.getUrl().queryParameter("_state")).isEqualTo("s2");
  }

  @Test
  void uploadStatusOfASessionTheRegistryDoesNotKnowIsEmpty() {
    server.enqueue(status(404));

    assertThat(client().resumableBlobs().uploadStatus(REPO, DIGEST, server.url("/up/gone").toString())).isEmpty();
  }

  @Test
  void uploadStatusWithoutARangeIsAnErrorNamingTheHeader() {
    server.enqueue(new MockResponse.Builder().code(204).setHeader("Location", "/up/1").build());

    assertThatThrownBy(() -> client().resumableBlobs().uploadStatus(REPO, DIGEST, server.url("/up/1").toString()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("upload status without a usable Range header");
  }

  @Test
  void uploadStatusRefusesALocationOnAnotherOriginWithoutSendingAnything() {
    assertThatThrownBy(() -> client().resumableBlobs().uploadStatus(REPO, DIGEST,
        "http://other.example:5000/v2/library/app/blobs/uploads/u1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not on");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void chunkedUploadReportsThePositionAfterEachAcceptedChunk() throws Exception {
    server.enqueue(accepted("/up/1"));
    server.enqueue(accepted("/up/2"));
    server.enqueue(accepted("/up/3"));
    server.enqueue(accepted("/up/4"));
    server.enqueue(status(201));
    List<UploadPosition> positions = new ArrayList<>();

    client().resumableBlobs().pushBlobInChunks(REPO, DIGEST, CONTENT.length, new ByteArrayInputStream(CONTENT), 4,
        Optional.empty(), positions::add);

    assertThat(positions).extracting(UploadPosition::offset).containsExactly(4L, 8L, 10L);
    assertThat(positions.get(0).location()).isEqualTo(server.url("/up/2").toString());
    server.takeRequest();
    RecordedRequest first = server.takeRequest();
    assertThat(first.getHeaders().get("Content-Range")).isEqualTo("0-3");
  }

  @Test
  void resumedUploadSendsOnlyTheRestFromTheSessionsOffsetThenCommits() throws Exception {
    server.enqueue(new MockResponse.Builder().code(206)
        .setHeader("Content-Range", "bytes 6-9/10").body("6789").build());
    server.enqueue(accepted("/up/9"));
    server.enqueue(status(201));
    RegistryClient client = client();
    MessageDigest prefix = MessageDigest.getInstance("SHA-256");
    prefix.update(CONTENT, 0, 6);

    try (InputStream rest = client.resumableBlobs().openBlob(REPO, DIGEST, 6, prefix)) {
      client.resumableBlobs().pushBlobInChunks(REPO, DIGEST, CONTENT.length, rest, 4,
          Optional.of(new UploadPosition(server.url("/up/8").toString(), 6)), p -> {});
    }

    RecordedRequest get = server.takeRequest();
    assertThat(get.getHeaders().get("Range")).isEqualTo("bytes=6-");
    RecordedRequest patch = server.takeRequest();
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getUrl().encodedPath()).isEqualTo("/up/8");
    assertThat(patch.getHeaders().get("Content-Range")).isEqualTo("6-9");
    assertThat(patch.getBody().utf8()).isEqualTo("6789");
    RecordedRequest put = server.takeRequest();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getUrl().queryParameter("digest")).isEqualTo(DIGEST.toString());
  }

  @Test
  void resumedUploadWhoseHashedPrefixDiffersFailsTheDigestCheckAndNeverCommits()
      throws Exception {
    server.enqueue(new MockResponse.Builder().code(206)
        .setHeader("Content-Range", "bytes 6-9/10").body("6789").build());
    server.enqueue(status(204));
    RegistryClient client = client();
    MessageDigest wrongPrefix = MessageDigest.getInstance("SHA-256");
    wrongPrefix.update("012346".getBytes(StandardCharsets.US_ASCII));

    try (InputStream rest = client.resumableBlobs().openBlob(REPO, DIGEST, 6, wrongPrefix)) {
      assertThatThrownBy(() -> client.resumableBlobs().pushBlobInChunks(REPO, DIGEST, CONTENT.length, rest, 4,
          Optional.of(new UploadPosition(server.url("/up/8").toString(), 6)), p -> {}))
          .isInstanceOf(DigestMismatchException.class);
    }

    server.takeRequest();
    RecordedRequest next = server.takeRequest();
    assertThat(next.getMethod()).as("the session is cancelled, not committed")
        .isEqualTo("DELETE");
  }

  @Test
  void resumingWithContentThatCannotVerifyTheWholeBlobIsRefused() {
    assertThatThrownBy(() -> client().resumableBlobs().pushBlobInChunks(REPO, DIGEST, CONTENT.length,
        new ByteArrayInputStream(CONTENT, 6, 4), 4,
        Optional.of(new UploadPosition(server.url("/up/8").toString(), 6)), p -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("verifies the whole blob");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void blobReadFromAnOffsetRefusesARangeStartingElsewhere() {
    server.enqueue(new MockResponse.Builder().code(206)
        .setHeader("Content-Range", "bytes 0-9/10").body("0123456789").build());

    assertThatThrownBy(() -> client().resumableBlobs().openBlob(REPO, DIGEST, 6,
        MessageDigest.getInstance("SHA-256")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("does not start there");
  }

  @Test
  void blobReadFromAnOffsetThatTheServerAnswersWholeDropsTheStartAndSaysSo() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("0123456789").build());
    MessageDigest prefix = MessageDigest.getInstance("SHA-256");
    prefix.update(CONTENT, 0, 6);

    try (InputStream rest = client().resumableBlobs().openBlob(REPO, DIGEST, 6, prefix)) {
      assertThat(new String(rest.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("6789");
    }
  }

  @Test
  void blobReadFromAnOffsetTheServerRefusesWith416IsAnErrorWithThatStatus() {
    server.enqueue(status(416));

    assertThatThrownBy(() -> client().resumableBlobs().openBlob(REPO, DIGEST, 6,
        MessageDigest.getInstance("SHA-256")))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.statusCode()).hasValue(416));
  }
}
