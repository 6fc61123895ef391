package dev.satellite.agent.groundcontrol.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.config.EveryInterval;
import dev.satellite.agent.groundcontrol.Heartbeat;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.core.SatelliteException;
import java.time.temporal.ChronoUnit;

/**
 * The heartbeat body Ground Control reads: every field present, names in snake case, the interval
 * as {@code "@every HHhMMmSSs"}, the time as RFC 3339 in UTC (whole seconds), durations in
 * milliseconds.
 */
public final class HeartbeatJson {
  private HeartbeatJson() {}

  public static byte[] encode(Heartbeat beat) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("name", beat.name());
    root.put("activity", beat.activity());
    root.put("state_report_interval", EveryInterval.format(beat.stateReportInterval()));
    root.put("latest_state_digest", beat.latestStateDigest());
    root.put("latest_config_digest", beat.latestConfigDigest());
    root.put("memory_used_bytes", beat.memoryUsedBytes());
    root.put("storage_used_bytes", beat.storageUsedBytes());
    root.put("cpu_percent", beat.cpuPercent());
    root.put("request_created_time",
        beat.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
    root.put("last_sync_duration_ms", beat.lastSyncDuration().toMillis());
    root.put("image_count", beat.cachedImages().size());
    ArrayNode images = root.putArray("cached_images");
    for (Heartbeat.CachedImage image : beat.cachedImages()) {
      images.addObject().put("reference", image.reference()).put("size_bytes", image.sizeBytes());
    }
    try {
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new SatelliteException("encode heartbeat of " + beat.name() + ": " + e, e);
    }
  }
}
