package dev.satellite.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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

  @Test
  void jsonFormatWritesOneParsableObjectPerLine() throws Exception {
    context.setMDCAdapter(new LogbackMDCAdapter()); // as SLF4J's binding gives the real context
    configure("INFO");
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ConsoleLogging.jsonLines(context);
      context.getLogger("satellite").info("pass finished: {} replicated", 2);
      context.getLogger("dev.satellite.agent.Satellite")
          .warn("edge down", new IllegalStateException("connection refused\nsecond line"));
    } finally {
      System.setErr(original);
    }

    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines[0]);
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.get("loggerName").asText()).isEqualTo("satellite");
    assertThat(first.get("formattedMessage").asText()).isEqualTo("pass finished: 2 replicated");
    assertThat(first.get("timestamp").asLong()).isPositive();
    JsonNode second = json.readTree(lines[1]);
    assertThat(second.get("level").asText()).isEqualTo("WARN");
    assertThat(second.get("throwable").toString()).contains("connection refused");
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
