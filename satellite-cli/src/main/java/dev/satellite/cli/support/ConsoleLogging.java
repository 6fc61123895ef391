package dev.satellite.cli.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
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
