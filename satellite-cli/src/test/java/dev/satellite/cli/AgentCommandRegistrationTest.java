package dev.satellite.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.cli.support.Commands;
import dev.satellite.cli.support.ParsedSync;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code satellite agent} ends while it registers: a refused token, or a stop request. */
class AgentCommandRegistrationTest {
  @TempDir Path temp;
  private final MockWebServer groundControl = new MockWebServer();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream errStream = new PrintStream(err, true, UTF_8);

  @BeforeEach
  void start() throws Exception {
    groundControl.start();
  }

  @AfterEach
  void stop() {
    groundControl.close();
  }

  private ParsedSync parse() {
    ParsedSync parsed = AgentCommand.parse(new String[] {"--ground-control",
        "http://127.0.0.1:" + groundControl.getPort(), "--state-dir", temp.toString(),
        "--destination", "http://127.0.0.1:9"}, Map.of("SATELLITE_TOKEN", "tok-31"), System.out,
        errStream);
    assertThat(parsed.options()).as(err.toString(UTF_8)).isPresent();
    return parsed;
  }

  @Test
  void aRefusedTokenExitsWithItsOwnStatus() {
    groundControl.enqueue(new MockResponse.Builder().code(400)
        .body("{\"message\": \"Error: Invalid Token\", \"code\": 400}").build());

    int status = AgentCommand.run(parse().options().get(), System.out, errStream,
        new CountDownLatch(1));

    assertThat(status).isEqualTo(Commands.REGISTRATION_REFUSED).isEqualTo(3);
    assertThat(err.toString(UTF_8)).contains("Ground Control refused the registration token")
        .contains("Invalid Token").doesNotContain("tok-31");
  }

  @Test
  void anUnreachableGroundControlIsWaitedForUntilAStopRequestEndsTheWaitWithStatusZero()
      throws Exception {
    for (int i = 0; i < 5; i++) {
      groundControl.enqueue(new MockResponse.Builder().code(503).build());
    }
    ParsedSync parsed = parse();
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger status = new AtomicInteger(-1);
    Thread agent = new Thread(() -> status.set(
        AgentCommand.run(parsed.options().get(), System.out, errStream, stop)), "agent");
    agent.start();

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (groundControl.getRequestCount() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(agent.isAlive()).as("still waiting for Ground Control: " + err.toString(UTF_8))
        .isTrue();
    stop.countDown();
    agent.join(10_000);

    assertThat(agent.isAlive()).isFalse();
    assertThat(status.get()).as(err.toString(UTF_8)).isZero();
    assertThat(groundControl.getRequestCount()).isGreaterThanOrEqualTo(2);
  }
}
