package dev.satellite.cli.support;

import dev.satellite.agent.audit.AuditLog;
import dev.satellite.agent.metrics.SatelliteMetrics;
import java.util.Optional;

/**
 * Who watches a satellite built by {@link SatelliteSetup}, and whether it reloads runtimes.
 *
 * @param metrics counts the satellite's work
 * @param audit records what changed at the edge (also the runtime files of {@code
 *     registry_fallback})
 * @param reloadRuntimes {@code registry_fallback} reloads the runtimes whose files it changed
 */
public record Observers(Optional<SatelliteMetrics> metrics, Optional<AuditLog> audit,
    boolean reloadRuntimes) {
  /** No metrics, no audit log, no reloads (the sync command). */
  public static final Observers NONE = new Observers(Optional.empty(), Optional.empty(), false);
}
