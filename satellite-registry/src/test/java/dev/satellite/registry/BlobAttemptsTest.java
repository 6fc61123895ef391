package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.registry.testing.FakeRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.util.List;
import java.util.function.BiFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How often one blob is asked of its source in one copy when the source keeps failing it: bounded
 * by {@link ImageCopier.Builder#maxBlobAttempts} whatever the failure, with the clients and the
 * copier at their default retry settings.
 */
class BlobAttemptsTest {
  private static final TestBlob LAYER = TestBlob.random(501, 64 * 1024);
  private static final TestImage IMAGE = TestImages.image(Format.OCI, 500, LAYER);

  private final MockWebServer sourceServer = new MockWebServer();
  private final MockWebServer destinationServer = new MockWebServer();
  private final FakeRegistry source = new FakeRegistry();
  private final FakeRegistry destination = new FakeRegistry();
  private final ClientTestSupport.RecordingSleeper sleeper =
      new ClientTestSupport.RecordingSleeper();
  private volatile BiFunction<RecordedRequest, Integer, MockResponse> layerAnswer;
  private int layerGets;
  private RegistryClient sourceClient;
  private RegistryClient destinationClient;

  @BeforeEach
  void start() throws Exception {
    IMAGE.blobs().forEach(b -> source.putBlob("app", b.bytes()));
    source.putManifest("app", IMAGE.mediaType(), IMAGE.manifest());
    sourceServer.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (request.getMethod().equals("GET")
            && request.getUrl().encodedPath().endsWith("/blobs/" + LAYER.digest())) {
          int n;
          synchronized (BlobAttemptsTest.this) {
            n = ++layerGets;
          }
          return layerAnswer.apply(request, n);
        }
        return source.dispatch(request);
      }
    });
    destinationServer.setDispatcher(destination);
    sourceServer.start();
    destinationServer.start();
    sourceClient = ClientTestSupport.clientFor(sourceServer, sleeper).build();
    destinationClient = ClientTestSupport.clientFor(destinationServer, sleeper).build();
  }

  @AfterEach
  void stop() {
    sourceClient.close();
    destinationClient.close();
    sourceServer.close();
    destinationServer.close();
  }

  @Test
  void aBlobTheSourceAlwaysAnswersWith500IsAskedFiveTimes() {
    layerAnswer = (request, n) -> new MockResponse.Builder().code(500).build();

    assertThatThrownBy(this::copy)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("500");

    assertThat(layerGets()).isEqualTo(5);
    assertThat(destination.hasBlob("app", LAYER.digest())).isFalse();
  }

  /**
   * The first answer brings half the blob (progress: the resume after it is free); every later one
   * breaks at the same byte, bringing nothing new: five failed attempts after the first answer.
   */
  @Test
  void aBlobWhoseBodyAlwaysBreaksAtTheSamePlaceGivesUpAfterFiveFailedAttempts() {
    layerAnswer = (request, n) -> droppedHalfway();

    assertThatThrownBy(this::copy)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("connection lost after " + LAYER.size() / 2 + " bytes")
        .hasMessageContaining("gave up after 5 failed attempts");

    assertThat(layerGets()).isEqualTo(1 + 5);
    assertThat(destination.hasBlob("app", LAYER.digest())).isFalse();
  }

  @Test
  void aBlobWhoseStreamedUploadAlwaysFailsIsTransferredFiveTimes() {
    layerAnswer = (request, n) -> fromSource(request);
    destination.failNextUploads(Integer.MAX_VALUE, 503);

    assertThatThrownBy(this::copy)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("503");

    assertThat(layerGets()).isEqualTo(5);
    assertThat(destination.hasBlob("app", LAYER.digest())).isFalse();
  }

  @Test
  void failuresAtTheSourceAndTheDestinationShareTheBlobsFiveAttempts() {
    layerAnswer = (request, n) -> n <= 2
        ? new MockResponse.Builder().code(502).build()
        : fromSource(request);
    destination.failNextUploads(Integer.MAX_VALUE, 500);

    assertThatThrownBy(this::copy).isInstanceOf(RegistryException.class);

    assertThat(layerGets()).isEqualTo(5);
  }

  @Test
  void rangeResumesThatMoveTheBlobOnAreProgressNotAttempts() {
    byte[] bytes = LAYER.bytes();
    layerAnswer = (request, n) -> {
      String range = request.getHeaders().get("Range");
      int from = range == null ? 0 : Integer.parseInt(range.replaceAll("\\D", ""));
      MockResponse.Builder answer = new MockResponse.Builder()
          .code(range == null ? 200 : 206)
          .body(new Buffer().write(bytes, from, bytes.length - from));
      if (range != null) {
        answer.setHeader("Content-Range",
            "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
      }
      if (bytes.length - from > 512) {
        answer.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE); // halfway through
      }
      return answer.build();
    };

    CopyResult result = copy();

    assertThat(layerGets()).isGreaterThan(5);
    assertThat(result.blobsUploaded()).isEqualTo(2);
    assertThat(destination.hasBlob("app", LAYER.digest())).isTrue();
  }

  private MockResponse fromSource(RecordedRequest request) {
    try {
      return source.dispatch(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private synchronized int layerGets() {
    return layerGets;
  }

  /** The whole blob announced, the connection shut halfway through the body. */
  private static MockResponse droppedHalfway() {
    return new MockResponse.Builder()
        .code(200)
        .body(new Buffer().write(LAYER.bytes()))
        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
        .build();
  }

  private CopyResult copy() {
    try (ImageCopier copier = ImageCopier.builder().retryDelayMillis(1).build()) {
      return copier.copy(CopyRequest.of(sourceClient, "app", Digest.parse(IMAGE.digest()))
          .to(destinationClient, "app")
          .tags(List.of("v1")));
    }
  }
}
