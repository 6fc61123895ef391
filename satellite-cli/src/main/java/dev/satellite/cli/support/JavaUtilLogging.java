package dev.satellite.cli.support;

import java.util.logging.Level;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} into the command's SLF4J logging, for libraries that log
 * through it (java-spiffe's Workload API client does): their lines then come in the console's
 * format, at its levels, instead of as raw stack traces on standard error. Installed only by the
 * commands that use such a library, since it initialises the JDK's log manager.
 */
public final class JavaUtilLogging {
  private JavaUtilLogging() {}

  /** Replaces the root logger's console handler with the SLF4J bridge. */
  public static void toSlf4j() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    java.util.logging.Logger.getLogger("").setLevel(Level.INFO);
  }
}
