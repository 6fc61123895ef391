package dev.satellite.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JavaUtilLoggingTest {
  @Test
  void aJavaUtilLoggingRecordReachesTheConsoleLoggingWithItsLevel() {
    Logger target = (Logger) LoggerFactory.getLogger("io.spiffe.example");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    target.addAppender(appender);
    try {
      JavaUtilLogging.toSlf4j();

      java.util.logging.Logger.getLogger("io.spiffe.example")
          .log(Level.SEVERE, "no SPIRE agent at unix:///run/spire/sockets/agent.sock");

      assertThat(appender.list).singleElement().satisfies(event -> {
        assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
        assertThat(event.getFormattedMessage()).contains("no SPIRE agent");
      });
    } finally {
      target.detachAppender(appender);
    }
  }
}
