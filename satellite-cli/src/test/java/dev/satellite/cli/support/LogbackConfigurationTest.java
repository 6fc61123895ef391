package dev.satellite.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples' {@code logback.xml}: what a user of the example commands sees on the console. */
class LogbackConfigurationTest {
  private final LoggerContext context = new LoggerContext();

  @AfterEach
  void stop() {
    context.stop();
  }

  @Test
  void writesOneLinePerEventToStandardError() throws JoranException {
    configure("INFO");

    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
        .isInstanceOfSatisfying(ConsoleAppender.class, appender -> {
          assertThat(appender.getTarget()).isEqualTo("System.err");
          assertThat(appender.isStarted()).isTrue();
          assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern())
              .isEqualTo("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        });
  }

  @Test
  void logsAtInfoAndQuietsOkHttpWhenNoLevelIsNamed() throws JoranException {
    configure(null);

    Level expected = Level.toLevel(System.getenv("SATELLITE_LOG_LEVEL"), Level.INFO);
    assertThat(context.getLogger("dev.satellite").getEffectiveLevel()).isEqualTo(expected);
    assertThat(context.getLogger("okhttp3.OkHttpClient").getEffectiveLevel())
        .isEqualTo(Level.WARN);
  }

  @Test
  void levelComesFromSatelliteLogLevelInAnyCase() throws JoranException {
    configure("debug");

    assertThat(context.getLogger("dev.satellite").getEffectiveLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("okhttp3").getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void aLevelHandedOverLaterReplacesTheRootLevelAndANonLevelIsIgnored() throws JoranException {
    configure("INFO");

    ConsoleLogging.rootLevel(context, " Debug ");
    assertThat(context.getLogger("dev.satellite").getEffectiveLevel()).isEqualTo(Level.DEBUG);
    ConsoleLogging.rootLevel(context, "chatty");
    assertThat(context.getLogger("dev.satellite").getEffectiveLevel()).isEqualTo(Level.DEBUG);
  }

  /**
   * Reads the examples' file as logback does at start-up; {@code level}, when given, stands for
   * the environment variable (logback looks up a context property before the environment).
   */
  private void configure(String level) throws JoranException {
    URL file = LogbackConfigurationTest.class.getResource("/logback.xml");
    assertThat(file).as("logback.xml on the examples' class path").isNotNull();
    if (level != null) {
      context.putProperty("SATELLITE_LOG_LEVEL", level);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(file);
  }
}
