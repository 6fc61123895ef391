package dev.satellite.registry;

import dev.satellite.core.TransferDeferredException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Rules of a slow or metered link, as a {@link TransferGate}: <b>sync windows</b> (blob bytes are
 * fetched from the upstream only while one is open) and a <b>byte budget per pass</b>.
 *
 * <ul>
 *   <li>Windows: outside every window no blob transfer starts ({@link #beforeBlob} defers it). A
 *       transfer running when its window closes goes on to its end, or, when it is resumable (an
 *       upload journal is set), stops at its next chunk boundary, its progress kept in the journal
 *       for the next window. Manifests, state artifacts and heartbeats are small and are not held
 *       back, so the satellite keeps its view of the desired state current and an image already at
 *       the edge under another tag is still tagged at once. No windows: always open.
 *   <li>Budget: each blob transfer reserves the blob's size from the pass's budget before it
 *       starts; one that does not fit in what is left is deferred to the next pass (whose budget is
 *       whole again: {@link #startPass}). A blob larger than the whole budget is never transferred,
 *       and its deferral says so. Only blob bytes are charged (manifests and state artifacts are
 *       small; an {@link dev.satellite.core.UpstreamMeter} counts every byte).
 * </ul>
 *
 * A deferred blob defers its image: nothing of it is tagged, and the reconciler reports it as
 * deferred with the reason given here. Thread-safe.
 */
public final class LinkRules implements TransferGate {
  private final List<SyncWindow> windows;
  private final ZoneId zone;
  private final Clock clock;
  private final OptionalLong maxBytesPerPass;
  private long admitted;

  private LinkRules(Builder b) {
    this.windows = List.copyOf(b.windows);
    this.zone = b.zone;
    this.clock = b.clock;
    this.maxBytesPerPass = b.maxBytesPerPass;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<SyncWindow> windows() {
    return windows;
  }

  public ZoneId zone() {
    return zone;
  }

  public OptionalLong maxBytesPerPass() {
    return maxBytesPerPass;
  }

  /** Whether a window is open now (always, without windows). */
  public boolean windowOpen() {
    return windowOpenAt(clock.instant());
  }

  /** When the next window opens, or empty when one is open now (or there are none). */
  public Optional<Instant> nextOpening() {
    Instant now = clock.instant();
    if (windowOpenAt(now)) {
      return Optional.empty();
    }
    ZonedDateTime local = now.atZone(zone);
    return windows.stream()
        .map(w -> {
          ZonedDateTime today = local.toLocalDate().atTime(w.start()).atZone(zone);
          return today.isAfter(local) ? today : today.plusDays(1);
        })
        .min(Comparator.naturalOrder())
        .map(ZonedDateTime::toInstant);
  }

  /** Starts a new pass: its budget is whole again. */
  public synchronized void startPass() {
    admitted = 0;
  }

  /** Blob bytes admitted so far in this pass. */
  public synchronized long admittedThisPass() {
    return admitted;
  }

  /**
   * Admits a blob transfer when a window is open and the blob fits in what is left of the pass's
   * budget (its size is then reserved).
   *
   * @throws TransferDeferredException saying which rule held it back
   */
  @Override
  public void beforeBlob(Descriptor blob) {
    Instant now = clock.instant();
    if (!windowOpenAt(now)) {
      throw new TransferDeferredException("outside the sync windows (" + describeWindows()
          + "); left for the next window" + nextOpening().map(at -> ", which opens at "
              + at.atZone(zone).toLocalDateTime().withNano(0)).orElse(""));
    }
    if (maxBytesPerPass.isEmpty()) {
      return;
    }
    long max = maxBytesPerPass.getAsLong();
    synchronized (this) {
      if (blob.size() > max) {
        throw new TransferDeferredException("blob " + blob.digest() + " (" + blob.size()
            + " bytes) is larger than the whole byte budget of a pass (" + max
            + " bytes): raise maxBytesPerPass to copy it");
      }
      if (admitted + blob.size() > max) {
        throw new TransferDeferredException("byte budget of the pass spent: " + admitted + " of "
            + max + " bytes taken, blob " + blob.digest() + " needs " + blob.size()
            + "; left for the next pass");
      }
      admitted += blob.size();
    }
  }

  /**
   * Stops a resumable transfer at this chunk boundary once its window has closed.
   *
   * @throws TransferDeferredException when no window is open any more
   */
  @Override
  public void afterChunk(Descriptor blob, long uploaded) {
    if (!windowOpen()) {
      throw new TransferDeferredException("the sync window closed (" + describeWindows()
          + "); blob " + blob.digest() + " stopped at a chunk boundary, " + uploaded + " of "
          + blob.size() + " bytes uploaded and kept in the upload journal for the next window");
    }
  }

  private boolean windowOpenAt(Instant instant) {
    if (windows.isEmpty()) {
      return true;
    }
    var time = instant.atZone(zone).toLocalTime();
    return windows.stream().anyMatch(w -> w.contains(time));
  }

  private String describeWindows() {
    return windows.stream().map(SyncWindow::toString).collect(Collectors.joining(", "))
        + " " + zone.getId();
  }

  @Override
  public String toString() {
    return "LinkRules[windows=" + (windows.isEmpty() ? "always" : describeWindows())
        + ", maxBytesPerPass=" + (maxBytesPerPass.isEmpty() ? "none" : maxBytesPerPass.getAsLong())
        + "]";
  }

  /** Options of {@link LinkRules}; by default no windows (always open) and no budget. */
  public static final class Builder {
    private List<SyncWindow> windows = List.of();
    private ZoneId zone = ZoneId.systemDefault();
    private Clock clock = Clock.systemUTC();
    private OptionalLong maxBytesPerPass = OptionalLong.empty();

    private Builder() {}

    /** Windows in which blob bytes may be transferred; none (the default) means always. */
    public Builder windows(List<SyncWindow> windows) {
      this.windows = List.copyOf(windows);
      return this;
    }

    /** The time zone the windows' times are in (default: the system's). */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * Blob bytes a pass may fetch from the upstream; what does not fit is deferred.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxBytesPerPass(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBytesPerPass must be at least 1: " + bytes);
      }
      this.maxBytesPerPass = OptionalLong.of(bytes);
      return this;
    }

    /** The clock the windows are read from (default: the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public LinkRules build() {
      return new LinkRules(this);
    }
  }
}
