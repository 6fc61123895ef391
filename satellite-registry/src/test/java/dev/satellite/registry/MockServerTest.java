package dev.satellite.registry;

import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh MockWebServer per test; a request beyond the scripted responses gets a 404. */
abstract class MockServerTest {
  protected MockWebServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = new MockWebServer();
    ((QueueDispatcher) server.getDispatcher()).setFailFast(true);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }
}
