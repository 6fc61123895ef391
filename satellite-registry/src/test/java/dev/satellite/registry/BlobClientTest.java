package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static dev.satellite.registry.ClientTestSupport.bytes;
import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlobClientTest extends MockServerTest {
  private static final byte[] BLOB = new byte[256 * 1024];

  static {
    new Random(42).nextBytes(BLOB);
  }

  private RegistryClient client;

  @BeforeEach
  void createClient() {
    client =
        ClientTestSupport.clientFor(server, new ClientTestSupport.RecordingSleeper())
            .maxRetries(2)
            .build();
  }

  /** The whole blob, with the connection dropped halfway through the body. */
  private static MockResponse droppedMidBody() {
    return bytes(200, BLOB)
        .newBuilder()
        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
        .build();
  }

  /** Serves ranged requests from {@code BLOB}, recording their Range headers. */
  private static final class RangeDispatcher extends Dispatcher {
    final List<String> ranges = new CopyOnWriteArrayList<>();
    private int calls;

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
      String range = request.getHeaders().get("Range");
      ranges.add(String.valueOf(range));
      if (calls++ == 0) {
        return droppedMidBody();
      }
      int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
      return bytes(206, Arrays.copyOfRange(BLOB, from, BLOB.length))
          .newBuilder()
          .setHeader("Content-Range", "bytes " + from + "-" + (BLOB.length - 1) + "/" + BLOB.length)
          .build();
    }
  }

  @Test
  void headBlobReturnsSize() throws Exception {
    server.enqueue(new MockResponse.Builder().setHeader("Content-Length", 1234).build());

    assertThat(client.headBlob(REPO, Digest.of(BLOB))).contains(1234L);
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("HEAD");
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/v2/library/app/blobs/" + Digest.of(BLOB));
  }

  @Test
  void headBlobIsEmptyOn404() {
    server.enqueue(status(404));

    assertThat(client.headBlob(REPO, Digest.of(BLOB))).isEmpty();
  }

  @Test
  void headBlobUnauthorizedIsAnError() {
    server.enqueue(status(401));

    assertThatThrownBy(() -> client.headBlob(REPO, Digest.of(BLOB)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("HEAD blob library/app@" + Digest.of(BLOB))
        .hasMessageContaining("401 Unauthorized");
  }

  @Test
  void openBlobStreamsVerifiedContent() throws Exception {
    server.enqueue(bytes(200, BLOB));

    try (InputStream in = client.openBlob(REPO, Digest.of(BLOB))) {
      assertThat(in.readAllBytes()).isEqualTo(BLOB);
    }
  }

  @Test
  void openBlobThrowsDigestMismatchAtEndOfStream() throws Exception {
    Digest expected = Digest.of("something else".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    server.enqueue(bytes(200, BLOB));

    try (InputStream in = client.openBlob(REPO, expected)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining("GET blob library/app@" + expected)
          .hasMessageContaining("content hashes to " + Digest.of(BLOB));
    }
  }

  @Test
  void openBlobOfAbsentBlobIsAnError() {
    server.enqueue(ClientTestSupport.ociError(404, "BLOB_UNKNOWN", "blob unknown to registry"));

    assertThatThrownBy(() -> client.openBlob(REPO, Digest.of(BLOB)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("404 Not Found [BLOB_UNKNOWN: blob unknown to registry]");
  }

  @Test
  void resumesWithRangeAfterConnectionDropsMidBody() throws Exception {
    RangeDispatcher dispatcher = new RangeDispatcher();
    server.setDispatcher(dispatcher);

    byte[] read;
    try (InputStream in = client.openBlob(REPO, Digest.of(BLOB))) {
      read = in.readAllBytes();
    }

    assertThat(read).isEqualTo(BLOB);
    assertThat(dispatcher.ranges).hasSize(2);
    assertThat(dispatcher.ranges.get(0)).isEqualTo("null");
    assertThat(dispatcher.ranges.get(1)).matches("bytes=\\d+-");
    long from = Long.parseLong(dispatcher.ranges.get(1).replaceAll("\\D", ""));
    assertThat(from).isGreaterThan(0).isLessThan(BLOB.length);
  }

  @Test
  void restartsSkippingDeliveredBytesWhenServerIgnoresRange() throws Exception {
    server.enqueue(droppedMidBody());
    server.enqueue(bytes(200, BLOB));

    try (InputStream in = client.openBlob(REPO, Digest.of(BLOB))) {
      assertThat(in.readAllBytes()).isEqualTo(BLOB);
    }
    server.takeRequest();
    assertThat(server.takeRequest().getHeaders().get("Range")).startsWith("bytes=");
  }

  @Test
  void refusesPartialContentStartingElsewhere() throws Exception {
    server.enqueue(droppedMidBody());
    server.enqueue(
        bytes(206, BLOB)
            .newBuilder()
            .setHeader("Content-Range", "bytes 0-" + (BLOB.length - 1) + "/" + BLOB.length)
            .build());

    try (InputStream in = client.openBlob(REPO, Digest.of(BLOB))) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("answered 206 with Content-Range bytes 0-");
    }
  }

  @Test
  void givesUpAfterBoundedResumeAttempts() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(droppedMidBody());
    }

    try (InputStream in = client.openBlob(REPO, Digest.of(BLOB))) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("GET blob library/app@")
          .hasMessageContaining("connection lost after")
          .hasMessageContaining("gave up after 3 failed attempts");
    }
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void readsChunkedBodyWithoutLength() throws Exception {
    server.enqueue(new MockResponse.Builder().chunkedBody(new Buffer().write(BLOB), 4096).build());

    try (InputStream in = client.openBlob(REPO, Digest.of(BLOB))) {
      assertThat(in.readAllBytes()).isEqualTo(BLOB);
    }
  }
}
