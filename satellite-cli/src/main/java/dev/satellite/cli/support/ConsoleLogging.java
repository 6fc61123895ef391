package dev.satellite.cli.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Changes of the examples' console logging at run time. The set-up itself is the examples'
 * {@code logback.xml} (one line per event on standard error, the level from {@code
 * SATELLITE_LOG_LEVEL}); this class only follows a level handed over later.
 */
public final class ConsoleLogging {
  private ConsoleLogging() {}

  /**
   * Sets the root logger's level to the one {@code name} names (Ground Control's {@code
   * log_level}: {@code debug}, {@code info}, {@code warn}, {@code error}, any case); a name that
   * is no level's leaves the level as it is. Does nothing when logback is not the SLF4J backend.
   */
  public static void rootLevel(String name) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      rootLevel(context, name);
    }
  }

  /**
   * Switches the console (the {@code STDERR} appender of {@code logback.xml}) to one JSON object
   * per line: logback's own {@code JsonEncoder} with the timestamp (epoch milliseconds), level,
   * thread, logger, formatted message, MDC and key-value pairs, and the throwable when there is
   * one. Does nothing when logback is not the SLF4J backend or the appender was replaced.
   */
  public static void jsonLines() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      jsonLines(context);
    }
  }

  static void jsonLines(LoggerContext context) {
    Appender<ILoggingEvent> appender =
        context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
      JsonEncoder encoder = new JsonEncoder();
      encoder.setContext(context);
      encoder.setWithSequenceNumber(false);
      encoder.setWithNanoseconds(false);
      encoder.setWithContext(false);
      encoder.setWithMessage(false);
      encoder.setWithArguments(false);
      encoder.setWithFormattedMessage(true);
      encoder.start();
      console.stop();
      console.setEncoder(encoder);
      console.start();
    }
  }

  static void rootLevel(LoggerContext context, String name) {
    Level level = Level.toLevel(name.trim().toUpperCase(Locale.ROOT), null);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    if (level == null) {
      LoggerFactory.getLogger(ConsoleLogging.class)
          .warn("log level '{}' from Ground Control is not a level; staying at {}", name,
              root.getLevel());
      return;
    }
    root.setLevel(level);
  }
}
