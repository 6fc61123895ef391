package dev.satellite.registry;

import dev.satellite.registry.testing.FakeRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A source and a destination {@link FakeRegistry} behind MockWebServers, for copier tests. The
 * destination can answer chosen requests itself ({@link #answerAtDestination}); those are recorded
 * in {@link #answered}, everything else in the fake's own request list.
 */
abstract class ImageCopierFixture {
  protected final FakeRegistry source = new FakeRegistry();
  protected final FakeRegistry destination = new FakeRegistry();
  protected final List<String> answered = new CopyOnWriteArrayList<>();
  private final MockWebServer sourceServer = new MockWebServer();
  private final MockWebServer destinationServer = new MockWebServer();
  private volatile Function<RecordedRequest, MockResponse> override = r -> null;
  protected RegistryClient sourceClient;
  protected RegistryClient destinationClient;

  @BeforeEach
  void startServers() throws Exception {
    sourceServer.setDispatcher(source);
    destinationServer.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            MockResponse own = override.apply(request);
            if (own == null) {
              return destination.dispatch(request);
            }
            answered.add(request.getMethod() + " " + request.getUrl().encodedPath());
            return own;
          }
        });
    sourceServer.start();
    destinationServer.start();
    sourceClient = client(sourceServer);
    destinationClient = client(destinationServer);
  }

  @AfterEach
  void stopServers() {
    sourceClient.close();
    destinationClient.close();
    sourceServer.close();
    destinationServer.close();
  }

  /** Lets {@code answer} reply to destination requests; a null answer leaves it to the fake. */
  protected void answerAtDestination(Function<RecordedRequest, MockResponse> answer) {
    this.override = answer;
  }

  /** An OCI image of {@code base} plus a small layer of its own, made unique by {@code seed}. */
  protected static TestImage imageOn(TestBlob base, long seed) {
    return TestImages.image(Format.OCI, seed, base, TestBlob.random(seed * 10, 700));
  }

  protected static void seed(FakeRegistry fake, String repository, TestImage image) {
    image.blobs().forEach(b -> fake.putBlob(repository, b.bytes()));
    fake.putManifest(repository, image.mediaType(), image.manifest());
  }

  protected CopyResult copy(ImageCopier copier, String repository, TestImage image) {
    return copier.copy(CopyRequest.of(sourceClient, repository, Digest.parse(image.digest()))
            .to(destinationClient, repository)
            .tags(List.of("v1")));
  }

  /** Requests of {@code requests} that concern blob {@code digest}. */
  protected static List<String> about(List<String> requests, TestBlob blob) {
    return requests.stream().filter(r -> r.contains(blob.digest())).toList();
  }

  /** An error answer to {@code request}: an OCI error body, except for a HEAD. */
  protected static MockResponse status(RecordedRequest request, int code) {
    MockResponse.Builder answer = new MockResponse.Builder().code(code);
    if (request.getMethod().equals("HEAD")) {
      return answer.setHeader("Content-Length", 0).build();
    }
    return answer
        .setHeader("Content-Type", "application/json")
        .body("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"status " + code + "\"}]}")
        .build();
  }

  private static RegistryClient client(MockWebServer server) {
    return RegistryClient.builder("http://127.0.0.1:" + server.getPort()).maxRetries(0).build();
  }
}
