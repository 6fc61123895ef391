package dev.satellite.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;

/** Shared helpers of the MockWebServer client tests. */
final class ClientTestSupport {
  static final String REPO = "library/app";

  private ClientTestSupport() {}

  /** Records the waits the client asks for instead of sleeping. */
  static final class RecordingSleeper
      implements dev.satellite.registry.internal.RetryInterceptor.Sleeper {
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
      sleeps.add(duration);
    }
  }

  /** A clock the test moves forward. */
  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** A client of {@code server} that never sleeps between retries. */
  static RegistryClient.Builder clientFor(MockWebServer server, RecordingSleeper sleeper) {
    return RegistryClient.builder(baseUrl(server))
        .sleeper(sleeper)
        .readTimeout(Duration.ofSeconds(5));
  }

  static String baseUrl(MockWebServer server) {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).build();
  }

  static MockResponse ociError(int code, String errorCode, String message) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body("{\"errors\":[{\"code\":\"" + errorCode + "\",\"message\":\"" + message + "\"}]}")
        .build();
  }

  /** A {@code 200} serving {@code manifest}: its media type, digest header and bytes. */
  static MockResponse manifestResponse(Manifest manifest) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", manifest.mediaType())
        .setHeader("Docker-Content-Digest", manifest.digest().toString())
        .body(new Buffer().write(manifest.bytes()))
        .build();
  }

  static MockResponse bytes(int code, byte[] body) {
    return new MockResponse.Builder().code(code).body(new Buffer().write(body)).build();
  }
}
