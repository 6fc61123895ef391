package dev.satellite.persistence;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures the WARN events of one class's logger ({@link AtomicFileStateStore} by default). */
final class CapturedWarnings implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  /** Captured events are not also printed: some tests provoke thousands. */
  CapturedWarnings() {
    this(AtomicFileStateStore.class);
  }

  /** Captures the events logged by {@code source}'s logger instead. */
  CapturedWarnings(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
  }

  /** The formatted messages of the WARN events so far. */
  synchronized List<String> messages() {
    return appender.list.stream()
        .filter(event -> event.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  synchronized void clear() {
    appender.list.clear();
  }

  @Override
  public void close() {
    logger.setAdditive(true);
    logger.detachAppender(appender);
    appender.stop();
  }
}
