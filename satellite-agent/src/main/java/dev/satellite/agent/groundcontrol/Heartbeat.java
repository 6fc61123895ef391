package dev.satellite.agent.groundcontrol;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One status report to Ground Control ({@code POST {gc}/satellites/sync}). Every field is sent,
 * under the names Ground Control reads: {@code name, activity, state_report_interval,
 * latest_state_digest, latest_config_digest, memory_used_bytes, storage_used_bytes, cpu_percent,
 * request_created_time, last_sync_duration_ms, image_count, cached_images}. Made with {@link
 * #builder}; later versions may add fields without breaking callers.
 */
public final class Heartbeat {
  private final String name;
  private final String activity;
  private final Duration stateReportInterval;
  private final String latestStateDigest;
  private final String latestConfigDigest;
  private final long memoryUsedBytes;
  private final long storageUsedBytes;
  private final double cpuPercent;
  private final Instant createdAt;
  private final Duration lastSyncDuration;
  private final List<CachedImage> cachedImages;

  private Heartbeat(Builder builder) {
    this.name = builder.name;
    this.activity = required(builder, builder.activity, "activity");
    this.stateReportInterval =
        required(builder, builder.stateReportInterval, "stateReportInterval");
    this.latestStateDigest = builder.latestStateDigest == null ? "" : builder.latestStateDigest;
    this.latestConfigDigest = builder.latestConfigDigest == null ? "" : builder.latestConfigDigest;
    this.memoryUsedBytes = builder.memoryUsedBytes;
    this.storageUsedBytes = builder.storageUsedBytes;
    this.cpuPercent = builder.cpuPercent;
    this.createdAt = required(builder, builder.createdAt, "createdAt");
    this.lastSyncDuration = required(builder, builder.lastSyncDuration, "lastSyncDuration");
    this.cachedImages = List.copyOf(builder.cachedImages);
  }

  private static <T> T required(Builder builder, T value, String setting) {
    return Objects.requireNonNull(value,
        () -> "heartbeat of " + builder.name + ": " + setting + " not set");
  }

  /**
   * A heartbeat of satellite {@code name}. {@code activity}, {@code stateReportInterval}, {@code
   * createdAt} and {@code lastSyncDuration} must be set; the digests default to empty, the figures
   * to 0, the cached images to none.
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The satellite's name ({@link Registration#satelliteName()}). */
  public String name() {
    return name;
  }

  /** What the satellite is doing, in a few words. */
  public String activity() {
    return activity;
  }

  /**
   * How often it reports, sent as {@code "@every HHhMMmSSs"} (whole seconds, at least one).
   */
  public Duration stateReportInterval() {
    return stateReportInterval;
  }

  /** Digest of the satellite state last read, or empty. */
  public String latestStateDigest() {
    return latestStateDigest;
  }

  /** Digest of the config state last applied, or empty. */
  public String latestConfigDigest() {
    return latestConfigDigest;
  }

  /** Memory in use, or 0 when not collected. */
  public long memoryUsedBytes() {
    return memoryUsedBytes;
  }

  /** Storage in use, or 0 when not collected. */
  public long storageUsedBytes() {
    return storageUsedBytes;
  }

  /** CPU use in percent, or 0 when not collected. */
  public double cpuPercent() {
    return cpuPercent;
  }

  /** When the report was made; sent as RFC 3339 in UTC. */
  public Instant createdAt() {
    return createdAt;
  }

  /** How long the last pass took. */
  public Duration lastSyncDuration() {
    return lastSyncDuration;
  }

  /** The images in place at the edge; {@code image_count} is their number. */
  public List<CachedImage> cachedImages() {
    return cachedImages;
  }

  @Override
  public String toString() {
    return "Heartbeat[name=" + name + ", activity=" + activity + ", stateReportInterval="
        + stateReportInterval + ", latestStateDigest=" + latestStateDigest
        + ", latestConfigDigest=" + latestConfigDigest + ", memoryUsedBytes=" + memoryUsedBytes
        + ", storageUsedBytes=" + storageUsedBytes + ", cpuPercent=" + cpuPercent
        + ", createdAt=" + createdAt + ", lastSyncDuration=" + lastSyncDuration
        + ", cachedImages=" + cachedImages + "]";
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

  /** Collects the fields of one heartbeat. */
  public static final class Builder {
    private final String name;
    private String activity;
    private Duration stateReportInterval;
    private String latestStateDigest = "";
    private String latestConfigDigest = "";
    private long memoryUsedBytes;
    private long storageUsedBytes;
    private double cpuPercent;
    private Instant createdAt;
    private Duration lastSyncDuration;
    private List<CachedImage> cachedImages = List.of();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder activity(String activity) {
      this.activity = activity;
      return this;
    }

    public Builder stateReportInterval(Duration interval) {
      this.stateReportInterval = interval;
      return this;
    }

    public Builder latestStateDigest(String digest) {
      this.latestStateDigest = digest;
      return this;
    }

    public Builder latestConfigDigest(String digest) {
      this.latestConfigDigest = digest;
      return this;
    }

    public Builder memoryUsedBytes(long bytes) {
      this.memoryUsedBytes = bytes;
      return this;
    }

    public Builder storageUsedBytes(long bytes) {
      this.storageUsedBytes = bytes;
      return this;
    }

    public Builder cpuPercent(double percent) {
      this.cpuPercent = percent;
      return this;
    }

    public Builder createdAt(Instant instant) {
      this.createdAt = instant;
      return this;
    }

    public Builder lastSyncDuration(Duration duration) {
      this.lastSyncDuration = duration;
      return this;
    }

    public Builder cachedImages(List<CachedImage> images) {
      this.cachedImages = Objects.requireNonNull(images, "cachedImages");
      return this;
    }

    /**
     * The heartbeat.
     *
     * @throws NullPointerException naming the setting when a required one was not set
     */
    public Heartbeat build() {
      return new Heartbeat(this);
    }
  }
}
