package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class BlobUploadClientTest extends MockServerTest {
  private static final byte[] CONTENT = "0123456789".getBytes(StandardCharsets.US_ASCII);
  private static final Digest DIGEST = Digest.of(CONTENT);

  private RegistryClient client(long threshold, int chunkSize) {
    return ClientTestSupport.clientFor(server, new ClientTestSupport.RecordingSleeper())
        .maxRetries(0)
        .chunkedUploadThreshold(threshold)
        .uploadChunkSize(chunkSize)
        .build();
  }

  private static MockResponse accepted(String location) {
    return new MockResponse.Builder().code(202).setHeader("Location", location).build();
  }

  @Test
  void uploadsKnownSizeWithPostThenOneStreamedPut() throws Exception {
    server.enqueue(accepted("/v2/library/app/blobs/uploads/u1?_state=abc"));
    server.enqueue(status(201));

    client(1024, 4).pushBlob(REPO, DIGEST, CONTENT.length, new ByteArrayInputStream(CONTENT));

    RecordedRequest post = server.takeRequest();
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getUrl().encodedPath()).isEqualTo("/v2/library/app/blobs/uploads/");
    RecordedRequest put = server.takeRequest();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getUrl().encodedPath()).isEqualTo("/v2/library/app/blobs/uploads/u1");
    assertThat(put.getUrl().queryParameter("_state")).isEqualTo("abc");
    assertThat(put.getUrl().queryParameter("digest")).isEqualTo(DIGEST.toString());
    assertThat(put.getHeaders().get("Content-Length")).isEqualTo("10");
    assertThat(put.getHeaders().get("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(put.getBody().toByteArray()).isEqualTo(CONTENT);
  }

  @Test
  void followsAbsoluteUploadLocation() throws Exception {
    server.enqueue(accepted(server.url("/elsewhere/u2?x=1").toString()));
    server.enqueue(status(201));

    client(1024, 4).pushBlob(REPO, DIGEST, CONTENT.length, new ByteArrayInputStream(CONTENT));

    server.takeRequest();
    RecordedRequest put = server.takeRequest();
    assertThat(put.getUrl().encodedPath()).isEqualTo("/elsewhere/u2");
    assertThat(put.getUrl().queryParameter("x")).isEqualTo("1");
  }

  @Test
  void uploadsUnknownSizeInPatchChunksThenClosingPut() throws Exception {
    server.enqueue(accepted("/up/1"));
    server.enqueue(accepted("/up/2"));
    server.enqueue(accepted("/up/3"));
    server.enqueue(accepted("/up/4"));
    server.enqueue(status(201));

    client(1024, 4).pushBlob(REPO, DIGEST, -1, new ByteArrayInputStream(CONTENT));

    server.takeRequest();
    assertPatch(server.takeRequest(), "/up/1", "0-3", "0123");
    assertPatch(server.takeRequest(), "/up/2", "4-7", "4567");
    assertPatch(server.takeRequest(), "/up/3", "8-9", "89");
    RecordedRequest put = server.takeRequest();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getUrl().encodedPath()).isEqualTo("/up/4");
    assertThat(put.getUrl().queryParameter("digest")).isEqualTo(DIGEST.toString());
    assertThat(put.getBodySize()).isZero();
  }

  @Test
  void uploadsKnownSizeAboveThresholdInStreamedChunks() throws Exception {
    server.enqueue(accepted("/up/1"));
    server.enqueue(accepted("/up/2"));
    server.enqueue(accepted("/up/3"));
    server.enqueue(status(201));

    client(5, 6).pushBlob(REPO, DIGEST, CONTENT.length, new ByteArrayInputStream(CONTENT));

    server.takeRequest();
    assertPatch(server.takeRequest(), "/up/1", "0-5", "012345");
    assertPatch(server.takeRequest(), "/up/2", "6-9", "6789");
    assertThat(server.takeRequest().getMethod()).isEqualTo("PUT");
  }

  private static void assertPatch(RecordedRequest patch, String path, String range, String body) {
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getUrl().encodedPath()).isEqualTo(path);
    assertThat(patch.getHeaders().get("Content-Range")).isEqualTo(range);
    assertThat(patch.getBody().utf8()).isEqualTo(body);
  }

  @Test
  void chunkedUploadWithWrongDigestIsNeverCommitted() throws Exception {
    Digest wrong = Digest.of(new byte[] {9});
    server.enqueue(accepted("/up/1"));
    server.enqueue(accepted("/up/2"));
    server.enqueue(status(204));

    assertThatThrownBy(
            () -> client(1024, 16).pushBlob(REPO, wrong, -1, new ByteArrayInputStream(CONTENT)))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("push blob " + wrong + " to ")
        .hasMessageContaining("content hashes to " + DIGEST);
    server.takeRequest();
    assertThat(server.takeRequest().getMethod()).isEqualTo("PATCH");
    RecordedRequest cancel = server.takeRequest();
    assertThat(cancel.getMethod()).isEqualTo("DELETE");
    assertThat(cancel.getUrl().encodedPath()).isEqualTo("/up/2");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  /** A download double that checks its digest at its end, as {@code openBlob} streams do. */
  private static final class SelfCheckingContent extends ByteArrayInputStream
      implements dev.satellite.registry.internal.blob.SelfVerifyingStream {
    private final Digest claimed;
    private final boolean endCheckFails;
    private int endReads;

    SelfCheckingContent(byte[] bytes, Digest claimed, boolean endCheckFails) {
      super(bytes);
      this.claimed = claimed;
      this.endCheckFails = endCheckFails;
    }

    @Override
    public boolean verifies(Digest digest) {
      return claimed.equals(digest);
    }

    @Override
    public synchronized int read() {
      int b = super.read();
      if (b == -1) {
        endReads++;
        if (endCheckFails) {
          throw new DigestMismatchException("test download", claimed, Digest.of(buf));
        }
      }
      return b;
    }
  }

  @Test
  void uploadOfASelfVerifyingDownloadLetsItsEndCheckFailBeforeTheLastByte() throws Exception {
    byte[] big = new byte[200_000];
    Digest claimed = Digest.of(new byte[] {9});
    SelfCheckingContent content = new SelfCheckingContent(big, claimed, true);
    server.enqueue(accepted("/up/1"));
    server.enqueue(status(201));

    assertThatThrownBy(() -> client(1_000_000, 4).pushBlob(REPO, claimed, big.length, content))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("test download");
    assertThat(content.endReads).as("the download's own end check ran").isEqualTo(1);
    server.takeRequest();
    assertThat(server.takeRequest().getBodySize()).isLessThan(big.length);
  }

  @Test
  void uploadOfASelfVerifyingDownloadHashesNothingItself() throws Exception {
    byte[] big = new byte[200_000];
    Digest claimed = Digest.of(new byte[] {9});
    SelfCheckingContent content = new SelfCheckingContent(big, claimed, false);
    server.enqueue(accepted("/up/1"));
    server.enqueue(status(201));

    client(1_000_000, 4).pushBlob(REPO, claimed, big.length, content);

    assertThat(content.endReads).as("the download's end check is the one check").isEqualTo(1);
    server.takeRequest();
    assertThat(server.takeRequest().getBodySize()).isEqualTo(big.length);
  }

  @Test
  void streamedUploadWithWrongDigestFailsBeforeTheLastByte() throws Exception {
    Digest wrong = Digest.of(new byte[] {9});
    server.enqueue(accepted("/up/1"));
    server.enqueue(status(201));
    byte[] big = new byte[200_000];

    assertThatThrownBy(
            () ->
                client(1_000_000, 4)
                    .pushBlob(REPO, wrong, big.length, new ByteArrayInputStream(big)))
        .isInstanceOf(DigestMismatchException.class);
    server.takeRequest();
    RecordedRequest put = server.takeRequest();
    assertThat(put.getBodySize()).isLessThan(big.length);
  }

  @Test
  void contentShorterThanAnnouncedSizeFails() {
    server.enqueue(accepted("/up/1"));
    server.enqueue(status(201));

    assertThatThrownBy(
            () -> client(1024, 4).pushBlob(REPO, DIGEST, 20, new ByteArrayInputStream(CONTENT)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("content ended after 10 of 20 bytes");
  }

  @Test
  void contentLongerThanAnnouncedSizeFails() {
    server.enqueue(accepted("/up/1"));
    server.enqueue(status(201));

    assertThatThrownBy(
            () ->
                client(1024, 4)
                    .pushBlob(
                        REPO,
                        Digest.of("01234".getBytes(StandardCharsets.US_ASCII)),
                        5,
                        new ByteArrayInputStream(CONTENT)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("content is longer than the announced size");
  }

  @Test
  void refusedUploadNamesBlobAndRegistry() {
    server.enqueue(accepted("/up/1"));
    server.enqueue(ClientTestSupport.ociError(413, "SIZE_INVALID", "too large"));
    byte[] small = {1, 2};

    assertThatThrownBy(() -> client(1024, 4).pushBlob(REPO, small))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("push blob " + Digest.of(small) + " to ")
        .hasMessageContaining(
            "/library/app: 413 Request Entity Too Large [SIZE_INVALID: too large]");
  }

  @Test
  void uploadWithoutLocationFailsClearly() {
    server.enqueue(status(202));

    assertThatThrownBy(() -> client(1024, 4).pushBlob(REPO, new byte[] {1}))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("202 without a usable Location header");
  }

  @Test
  void pushBytesReturnsTheirDigest() throws Exception {
    server.enqueue(accepted("/up/1"));
    server.enqueue(status(201));

    assertThat(client(1024, 4).pushBlob(REPO, CONTENT)).isEqualTo(DIGEST);
    server.takeRequest();
    assertThat(server.takeRequest().getBody().toByteArray()).isEqualTo(CONTENT);
  }

  @Test
  void mountReturnsTrueOn201() throws Exception {
    server.enqueue(status(201));

    assertThat(client(1024, 4).mountBlob(REPO, DIGEST, "library/base")).isTrue();
    RecordedRequest post = server.takeRequest();
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getUrl().encodedPath()).isEqualTo("/v2/library/app/blobs/uploads/");
    assertThat(post.getUrl().queryParameter("mount")).isEqualTo(DIGEST.toString());
    assertThat(post.getUrl().queryParameter("from")).isEqualTo("library/base");
  }

  @Test
  void mountReturnsFalseOn202AndCancelsTheOpenedSession() throws Exception {
    server.enqueue(accepted("/v2/library/app/blobs/uploads/u9"));
    server.enqueue(status(204));

    assertThat(client(1024, 4).mountBlob(REPO, DIGEST, "library/base")).isFalse();
    server.takeRequest();
    RecordedRequest cancel = server.takeRequest();
    assertThat(cancel.getMethod()).isEqualTo("DELETE");
    assertThat(cancel.getUrl().encodedPath()).isEqualTo("/v2/library/app/blobs/uploads/u9");
  }

  @Test
  void mountReturnsFalseOn202WithoutSessionToCancel() {
    server.enqueue(status(202));

    assertThat(client(1024, 4).mountBlob(REPO, DIGEST, "library/base")).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void mountFromInvalidRepositoryFailsBeforeAnyRequest() {
    assertThatThrownBy(() -> client(1024, 4).mountBlob(REPO, DIGEST, "Not Valid"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }
}
