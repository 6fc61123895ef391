package dev.satellite.cli.support;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the agent is operated: where it serves {@code /metrics}, {@code /healthz} and {@code
 * /readyz}, where it writes its audit log, and whether it reloads the container runtimes whose
 * files it changed.
 *
 * @param listen the address of the metrics and probes endpoint; empty with {@code --listen off}
 * @param auditLog the audit log file, rotated at {@link #AUDIT_LOG_MAX_BYTES}, {@link
 *     #AUDIT_LOG_FILES} files kept
 * @param reloadRuntimes run the runtimes' reload commands (with rollback) instead of printing them
 */
public record Operations(Optional<InetSocketAddress> listen, Optional<Path> auditLog,
    boolean reloadRuntimes) {
  /** The default of {@code --listen}: loopback only, Prometheus's port for exporters like this. */
  public static final String DEFAULT_LISTEN = "127.0.0.1:9464";
  public static final long AUDIT_LOG_MAX_BYTES = 10L * 1024 * 1024;
  public static final int AUDIT_LOG_FILES = 5;

  /** Nothing served, no audit log, no reloads (the sync command). */
  public static final Operations NONE = new Operations(Optional.empty(), Optional.empty(), false);

  /**
   * Parses {@code --listen}: {@code HOST:PORT}, {@code [IPv6]:PORT}, or {@code off}.
   *
   * @throws UsageException naming the bad value
   */
  public static Optional<InetSocketAddress> listen(String value) {
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new UsageException("option --listen: '" + value + "' is not HOST:PORT or off"
          + " (e.g. " + DEFAULT_LISTEN + ")");
    }
    String host = trimmed.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(trimmed.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("option --listen: '" + value + "' has no valid port (0-65535)");
    }
    return Optional.of(new InetSocketAddress(host, port));
  }
}
