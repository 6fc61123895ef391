package dev.satellite.agent.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.audit.internal.RotatingFile;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.agent.runtime.FileChange;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.agent.runtime.RuntimeReload;
import dev.satellite.core.Entity;
import dev.satellite.core.EntityOutcome;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What changed at the edge and who said so, for auditors: one JSON object per line ({@code time},
 * {@code event} and the event's fields), appended to a file rotated by size ({@link #open}).
 * Events:
 *
 * <ul>
 *   <li>{@code registered}: {@code satellite}, {@code state}, {@code registry}, {@code username},
 *       {@code saved} (a saved registration reused);
 *   <li>{@code config_applied}: {@code digest};
 *   <li>{@code image_placed}: {@code group}, {@code repository}, {@code tag}, {@code digest};
 *   <li>{@code image_pruned}: the same and {@code removed} ({@code manifest} or {@code tag});
 *   <li>{@code signature_refused}: {@code group}, {@code repository}, {@code tag}, {@code reason};
 *   <li>{@code runtime_file_changed}: {@code path}, {@code runtimes}, {@code created};
 *   <li>{@code runtime_reloaded}: {@code runtime}, {@code command}, {@code failure}, {@code
 *       rolled_back}.
 * </ul>
 *
 * <p>Never a secret: no password, token or credential is in any event (a registration's password,
 * a file's content), only names, digests and paths. Install it as the satellite's {@link
 * SyncListener} and {@link FleetListener}, and as the report consumer of {@code
 * RegistryFallback.reportingTo}. A line that cannot be written is logged (once per failure) and
 * the satellite goes on. Thread-safe.
 */
public final class AuditLog implements SyncListener, FleetListener, Consumer<MirrorReport>,
    AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  private final RotatingFile file;
  private final Path path;
  private final Clock clock;

  private AuditLog(RotatingFile file, Path path, Clock clock) {
    this.file = file;
    this.path = path;
    this.clock = clock;
  }

  /**
   * Opens {@code file} for appending (created {@code rw-------} with its directories).
   *
   * @param maxBytes the size one file may reach before it is rotated
   * @param maxFiles how many files are kept, the current one included
   * @throws SatelliteException naming the file when it cannot be opened
   */
  public static AuditLog open(Path file, long maxBytes, int maxFiles) {
    return open(file, maxBytes, maxFiles, Clock.systemUTC());
  }

  static AuditLog open(Path file, long maxBytes, int maxFiles, Clock clock) {
    try {
      return new AuditLog(new RotatingFile(file, maxBytes, maxFiles), file, clock);
    } catch (IOException e) {
      throw new SatelliteException("open the audit log " + file + ": " + e, e);
    }
  }

  private ObjectNode event(String name) {
    return Json.MAPPER.createObjectNode().put("time", clock.instant().toString())
        .put("event", name);
  }

  private static ObjectNode image(ObjectNode event, String group, Entity entity) {
    return event.put("group", group).put("repository", entity.repository())
        .put("tag", entity.tag()).put("digest", entity.digest());
  }

  private synchronized void write(ObjectNode event) {
    try {
      file.append((Json.MAPPER.writeValueAsString(event) + "\n")
          .getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    } catch (IOException e) {
      log.error("audit log {}: event {} not written: {}", path, event.get("event").asText(),
          e.toString());
    }
  }

  @Override
  public void registered(Registration registration, boolean fromSavedFile) {
    write(event("registered").put("satellite", registration.satelliteName())
        .put("state", registration.stateReference()).put("registry", registration.registryUrl())
        .put("username", registration.username()).put("saved", fromSavedFile));
  }

  @Override
  public void configApplied(String digest) {
    write(event("config_applied").put("digest", digest));
  }

  @Override
  public void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {
    if (outcome == EntityOutcome.REPLICATED) {
      write(image(event("image_placed"), groupRef, entity));
    }
  }

  @Override
  public void pruned(String groupRef, Entity entity, PruneOutcome outcome) {
    if (outcome == PruneOutcome.MANIFEST_DELETED || outcome == PruneOutcome.TAG_DELETED) {
      write(image(event("image_pruned"), groupRef, entity)
          .put("removed", outcome == PruneOutcome.MANIFEST_DELETED ? "manifest" : "tag"));
    }
  }

  @Override
  public void syncFinished(SyncReport report) {
    for (SyncReport.Failure failure : report.failures()) {
      if (failure.operation() == SyncReport.Operation.REFUSE) {
        write(event("signature_refused").put("group", failure.group())
            .put("repository", failure.repository()).put("tag", failure.tag())
            .put("reason", failure.reason()));
      }
    }
  }

  /** Records the runtime files a mirror configuration changed and the reloads it ran. */
  @Override
  public void accept(MirrorReport report) {
    if (report.dryRun()) {
      return;
    }
    for (FileChange change : report.changes()) {
      ObjectNode event = event("runtime_file_changed").put("path", change.path().toString())
          .put("created", change.created());
      change.runtimes().forEach(runtime -> event.withArray("runtimes").add(runtime.id()));
      write(event);
    }
    for (RuntimeReload reload : report.reloads()) {
      ObjectNode event = event("runtime_reloaded").put("runtime", reload.runtime().id())
          .put("command", String.join(" ", reload.command()))
          .put("rolled_back", reload.rolledBack());
      reload.failure().ifPresent(failure -> event.put("failure", failure));
      write(event);
    }
  }

  @Override
  public synchronized void close() {
    try {
      file.close();
    } catch (IOException e) {
      log.warn("audit log {}: close failed: {}", path, e.toString());
    }
  }

  @Override
  public String toString() {
    return "AuditLog[" + path + "]";
  }
}
