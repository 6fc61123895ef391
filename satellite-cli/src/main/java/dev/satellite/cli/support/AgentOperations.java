package dev.satellite.cli.support;

import dev.satellite.agent.Satellite;
import dev.satellite.agent.audit.AuditLog;
import dev.satellite.agent.metrics.SatelliteMetrics;
import dev.satellite.agent.runtime.MirrorReport;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * What the agent command adds around its satellite to be operated: the satellite's metrics and the
 * JVM's in a Prometheus registry, served with the health probes on {@code --listen} once the
 * satellite exists ({@link #serve}), and the {@code --audit-log}. Closing stops the server, closes
 * the audit log and the JVM binders.
 */
public final class AgentOperations implements AutoCloseable {
  private final Operations operations;
  private final PrometheusMeterRegistry registry;
  private final SatelliteMetrics metrics;
  private final JvmGcMetrics gc;
  private final Optional<AuditLog> audit;
  private ProbeServer server;

  /**
   * @throws UsageException when the audit log cannot be opened
   */
  public AgentOperations(Operations operations) {
    this.operations = operations;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = new SatelliteMetrics();
    metrics.bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
    try {
      this.audit = operations.auditLog().map(file -> AuditLog.open(file,
          Operations.AUDIT_LOG_MAX_BYTES, Operations.AUDIT_LOG_FILES));
    } catch (RuntimeException e) {
      gc.close();
      registry.close();
      throw new UsageException("option --audit-log: " + e.getMessage());
    }
  }

  /** The observers the satellite is built with. */
  public Observers observers() {
    return new Observers(Optional.of(metrics), audit, operations.reloadRuntimes());
  }

  /** Records a runtime mirror report in the audit log, when there is one. */
  public void audit(MirrorReport report) {
    audit.ifPresent(log -> log.accept(report));
  }

  /**
   * Starts serving metrics and probes for {@code satellite} on {@code --listen} (nothing with
   * {@code off}).
   *
   * @throws UsageException when the address cannot be bound
   */
  public Optional<ProbeServer> serve(Satellite satellite) {
    if (server == null && operations.listen().isPresent()) {
      server = new ProbeServer(operations.listen().get(), registry,
          satellite.health()::liveness, satellite.health()::readiness);
    }
    return Optional.ofNullable(server);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    audit.ifPresent(AuditLog::close);
    gc.close();
    registry.close();
  }
}
