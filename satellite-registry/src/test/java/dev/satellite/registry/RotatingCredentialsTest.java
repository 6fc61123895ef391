package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Credentials from a source that a rotated robot secret replaces while the client lives. */
class RotatingCredentialsTest {
  private static final Credentials OLD = Credentials.basic("robot$edge", "old-Secret");
  private static final Credentials NEW = Credentials.basic("robot$edge", "new-Secret");

  private final AtomicReference<Credentials> current = new AtomicReference<>(OLD);
  private MockWebServer registry;
  private RegistryClient client;

  @BeforeEach
  void start() throws Exception {
    registry = new MockWebServer();
    registry.start();
    client = ClientTestSupport.clientFor(registry, new ClientTestSupport.RecordingSleeper())
        .credentials(current::get).maxRetries(0).build();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void theNextRequestCarriesTheReplacedSecret() throws Exception {
    registry.enqueue(status(200));
    registry.enqueue(status(200));

    client.ping();
    current.set(NEW);
    client.ping();

    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo(basic(OLD));
    assertThat(registry.takeRequest().getHeaders().get("Authorization")).isEqualTo(basic(NEW));
  }

  @Test
  void aRequestRefusedWhileTheSecretWasReplacedIsSentOnceMoreWithTheNewOne() throws Exception {
    registry.enqueue(status(401));
    registry.enqueue(status(200));
    AtomicReference<Credentials> rotateOnFirstCall = current;
    RegistryClient rotating = ClientTestSupport.clientFor(registry,
        new ClientTestSupport.RecordingSleeper()).credentials(() -> {
          Credentials now = rotateOnFirstCall.get();
          rotateOnFirstCall.set(NEW); // replaced while the first request is on its way
          return now;
        }).maxRetries(0).build();

    rotating.ping();

    RecordedRequest first = registry.takeRequest();
    RecordedRequest second = registry.takeRequest();
    assertThat(first.getHeaders().get("Authorization")).isEqualTo(basic(OLD));
    assertThat(second.getHeaders().get("Authorization")).isEqualTo(basic(NEW));
    assertThat(registry.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aRefusalWithUnchangedCredentialsIsTheAnswer() {
    registry.enqueue(status(401));

    assertThatThrownBy(client::ping).isInstanceOf(RegistryException.class)
        .hasMessageContaining("401");
    assertThat(registry.getRequestCount()).isEqualTo(1);
  }

  private static String basic(Credentials credentials) {
    return okhttp3.Credentials.basic(credentials.username().orElseThrow(),
        credentials.password().orElseThrow());
  }
}
