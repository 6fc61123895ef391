package dev.satellite.cli.support;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The agent's operation flags: {@code --listen}, {@code --audit-log}, {@code --log-format}, {@code --reload-runtimes}. */
public final class OperationsFlags {
  @Option(names = "--listen", paramLabel = "<host:port|off>", order = 70,
      defaultValue = Operations.DEFAULT_LISTEN,
      description = {"serve GET /metrics (Prometheus), /healthz and /readyz here",
          "(default ${DEFAULT-VALUE}, loopback only; off: nothing served)"})
  String listen;

  @Option(names = "--audit-log", paramLabel = "<file>", order = 71,
      description = {"append audit events (registration, configs, images placed and pruned,",
          "signature refusals, runtime files) as JSON lines; rotated at 10 MiB, 5 files kept"})
  Path auditLog;

  @Option(names = "--log-format", paramLabel = "<text|json>", order = 72, defaultValue = "text",
      description = "log lines as text (default) or one JSON object per line")
  String logFormat;

  @Option(names = "--reload-runtimes", order = 73,
      description = {"run the reload command of each runtime whose files changed; a reload that",
          "fails puts that runtime's files back and reloads again (default: only print them)"})
  boolean reloadRuntimes;

  /**
   * The operations these flags ask for; switches the console logging to JSON lines first when
   * asked.
   *
   * @throws UsageException naming a bad value
   */
  public Operations operations() {
    switch (logFormat.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> { }
      case "json" -> ConsoleLogging.jsonLines();
      default -> throw new UsageException("option --log-format: '" + logFormat
          + "' is not text or json");
    }
    return new Operations(Operations.listen(listen), java.util.Optional.ofNullable(auditLog),
        reloadRuntimes);
  }
}
