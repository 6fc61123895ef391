package dev.satellite.agent.groundcontrol;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One status report to Ground Control ({@code POST {gc}/satellites/sync}). Every field is sent,
 * under the names Ground Control reads: {@code name, activity, state_report_interval,
 * latest_state_digest, latest_config_digest, memory_used_bytes, storage_used_bytes, cpu_percent,
 * request_created_time, last_sync_duration_ms, image_count, cached_images}.
 *
 * @param name the satellite's name ({@link Registration#satelliteName()})
 * @param activity what the satellite is doing, in a few words
 * @param stateReportInterval how often it reports, sent as {@code "@every HHhMMmSSs"} (whole
 *     seconds, at least one)
 * @param latestStateDigest digest of the satellite state last read, or empty
 * @param latestConfigDigest digest of the config state last applied, or empty
 * @param memoryUsedBytes memory in use, or 0 when not collected
 * @param storageUsedBytes storage in use, or 0 when not collected
 * @param cpuPercent CPU use in percent, or 0 when not collected
 * @param createdAt when the report was made; sent as RFC 3339 in UTC
 * @param lastSyncDuration how long the last pass took
 * @param cachedImages the images in place at the edge; {@code image_count} is their number
 */
public record Heartbeat(
    String name,
    String activity,
    Duration stateReportInterval,
    String latestStateDigest,
    String latestConfigDigest,
    long memoryUsedBytes,
    long storageUsedBytes,
    double cpuPercent,
    Instant createdAt,
    Duration lastSyncDuration,
    List<CachedImage> cachedImages) {

  public Heartbeat {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(activity, "activity");
    Objects.requireNonNull(stateReportInterval, "stateReportInterval");
    latestStateDigest = latestStateDigest == null ? "" : latestStateDigest;
    latestConfigDigest = latestConfigDigest == null ? "" : latestConfigDigest;
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastSyncDuration, "lastSyncDuration");
    cachedImages = List.copyOf(cachedImages);
  }

  /**
   * An image in place at the edge.
   *
   * @param reference {@code <edge-host>/<repository>:<tag>@<digest>}
   * @param sizeBytes the manifest's config and layer sizes added up (for an index, its images')
   */
  public record CachedImage(String reference, long sizeBytes) {
    public CachedImage {
      Objects.requireNonNull(reference, "reference");
    }
  }
}
