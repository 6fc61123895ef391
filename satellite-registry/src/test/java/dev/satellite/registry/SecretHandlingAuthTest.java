package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Passwords and tokens never reach logs, messages or toString, even at DEBUG and on failure. */
class SecretHandlingAuthTest extends MockServerTest {
  private static final String PASSWORD = "pw-4f7a9c";
  private static final String TOKEN = "tok-9d2e1b";

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.satellite.registry");
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Level previousLevel;
  private MockWebServer tokenService;

  @BeforeEach
  void captureLogs() throws Exception {
    previousLevel = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logs.start();
    logger.addAppender(logs);
    tokenService = new MockWebServer();
    tokenService.start();
  }

  @AfterEach
  void restoreLogs() {
    logger.detachAppender(logs);
    logger.setLevel(previousLevel);
    tokenService.close();
  }

  private MockResponse challenge() {
    return new MockResponse.Builder()
        .code(401)
        .setHeader(
            "WWW-Authenticate",
            "Bearer realm=\"" + tokenService.url("/token") + "\",service=\"registry\"")
        .build();
  }

  private List<String> logLines() {
    return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void tokenRefusedAfterRefreshLeavesNoSecretInMessageOrLogs() {
    server.enqueue(status(503));
    server.enqueue(challenge());
    server.enqueue(challenge());
    server.enqueue(challenge());
    tokenService.enqueue(new MockResponse.Builder().body("{\"token\":\"" + TOKEN + "\"}").build());
    tokenService.enqueue(new MockResponse.Builder().body("{\"token\":\"" + TOKEN + "\"}").build());
    RegistryClient client =
        ClientTestSupport.clientFor(server, new ClientTestSupport.RecordingSleeper())
            .credentials(Credentials.basic("alice", PASSWORD))
            .build();

    assertThatThrownBy(() -> client.getManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("401 Unauthorized")
        .hasMessageNotContaining(TOKEN)
        .hasMessageNotContaining(PASSWORD);

    assertThat(logLines()).isNotEmpty();
    assertThat(logLines()).noneMatch(line -> line.contains(TOKEN) || line.contains(PASSWORD));
    assertThat(client.toString()).doesNotContain(PASSWORD).doesNotContain(TOKEN);
  }

  @Test
  void insecureSkipVerifyIsLoggedAtWarnWhenTheClientIsBuilt() {
    RegistryClient.builder("https://edge.example:5000")
        .tls(TlsOptions.builder().insecureSkipVerify().build())
        .build();

    assertThat(logs.list)
        .anySatisfy(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.WARN);
              assertThat(event.getFormattedMessage())
                  .contains("TLS verification is OFF for edge.example:5000")
                  .contains("insecureSkipVerify was set explicitly");
            });
  }

  @Test
  void tlsOptionsToStringNamesFilesOnly() {
    TlsOptions tls =
        TlsOptions.builder()
            .trustedCertificates(Path.of("/etc/ca.pem"))
            .clientCertificate(Path.of("/etc/client.pem"), Path.of("/etc/client.key"))
            .build();

    assertThat(tls.toString()).contains("/etc/ca.pem").doesNotContain("BEGIN");
  }
}
