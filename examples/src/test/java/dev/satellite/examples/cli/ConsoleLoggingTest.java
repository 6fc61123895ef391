package dev.satellite.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ConsoleLoggingTest {
  @Test
  void logbackFindsItThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream())
        .anyMatch(provider -> provider.type() == ConsoleLogging.class);
  }

  @Test
  void writesOneLinePerEventToStandardErrorAndQuietsOkHttp() {
    LoggerContext context = new LoggerContext();
    ConsoleLogging logging = new ConsoleLogging();
    logging.setContext(context);

    assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("STDERR"))
        .isInstanceOfSatisfying(ConsoleAppender.class, appender -> {
          assertThat(appender.getTarget()).isEqualTo("System.err");
          assertThat(appender.isStarted()).isTrue();
          assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern())
              .isEqualTo(ConsoleLogging.PATTERN);
        });
    assertThat(context.getLogger("okhttp3").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("dev.satellite").getEffectiveLevel())
        .isEqualTo(ConsoleLogging.level(System.getenv(ConsoleLogging.LEVEL_VARIABLE)));
    context.stop();
  }

  @Test
  void levelComesFromTheVariableInAnyCaseAndDefaultsToInfo() {
    assertThat(ConsoleLogging.level(null)).isEqualTo(Level.INFO);
    assertThat(ConsoleLogging.level("debug")).isEqualTo(Level.DEBUG);
    assertThat(ConsoleLogging.level(" WARN ")).isEqualTo(Level.WARN);
    assertThat(ConsoleLogging.level("chatty")).isEqualTo(Level.INFO);
  }

  @Test
  void stepsAsideForAnExplicitConfigurationFile() {
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "custom-logback.xml");
    try {
      LoggerContext context = new LoggerContext();
      ConsoleLogging logging = new ConsoleLogging();
      logging.setContext(context);

      assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
          .isFalse();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
    }
  }
}
