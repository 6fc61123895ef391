package dev.satellite.examples.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * The examples' logging set-up, in code: one line per event on standard error ({@code HH:mm:ss.SSS
 * LEVEL Logger - message}), at the level named by the environment variable
 * {@code SATELLITE_LOG_LEVEL} (default {@code INFO}; OkHttp's own loggers at {@code WARN}).
 *
 * <p>Found by logback through {@code META-INF/services}. It replaces an XML file because parsing
 * one costs a one-shot run about a tenth of a second of start-up (the XML parser and logback's
 * configuration model). A {@code -Dlogback.configurationFile=...} still takes precedence: then
 * this class steps aside and logback reads that file.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  static final String LEVEL_VARIABLE = "SATELLITE_LOG_LEVEL";
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(System.getenv(LEVEL_VARIABLE)));
    root.addAppender(stderr);
    context.getLogger("okhttp3").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Sets the root logger's level to the one {@code name} names (Ground Control's {@code
   * log_level}: {@code debug}, {@code info}, {@code warn}, {@code error}, any case); a name that
   * is no level's leaves the level as it is. Does nothing when logback is not the SLF4J backend.
   */
  public static void rootLevel(String name) {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      Level level = Level.toLevel(name.trim().toUpperCase(Locale.ROOT), null);
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      if (level == null) {
        org.slf4j.LoggerFactory.getLogger(ConsoleLogging.class)
            .warn("log level '{}' from Ground Control is not a level; staying at {}", name,
                root.getLevel());
        return;
      }
      root.setLevel(level);
    }
  }

  /** The level a variable names (any case); {@code INFO} when unset or not a level's name. */
  static Level level(String name) {
    return name == null
        ? Level.INFO
        : Level.toLevel(name.trim().toUpperCase(Locale.ROOT), Level.INFO);
  }
}
