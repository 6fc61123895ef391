package dev.satellite.agent.metrics.internal;

import dev.satellite.core.EntityOutcome;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.SyncReport;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running figures of a satellite's passes, from its listener events: monotonic counts (never
 * reset, as counters must be) and the latest values of what is a gauge. Thread-safe: worker
 * threads report entities while the pass's thread reports the rest.
 */
public final class PassFigures {
  /** A pass's outcome, the {@code outcome} tag of the pass timer. */
  public enum PassOutcome {
    /** Everything desired is in place. */
    COMPLETE,
    /** Nothing failed, but images were deferred to a later pass (sync window, byte budget). */
    INCOMPLETE,
    /** An image failed or an error stopped part of the pass. */
    FAILED,
    /** The pass was interrupted (the satellite closing). */
    INTERRUPTED;

    public static PassOutcome of(SyncReport report) {
      return report.interrupted() ? INTERRUPTED
          : report.complete() ? COMPLETE : report.ok() ? INCOMPLETE : FAILED;
    }

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Count and total time of something timed. */
  public static final class Timed {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    public void record(long elapsedNanos) {
      count.increment();
      nanos.add(elapsedNanos);
    }

    public long count() {
      return count.sum();
    }

    public double totalNanos() {
      return nanos.sum();
    }
  }

  public final Map<PassOutcome, Timed> passes = new EnumMap<>(PassOutcome.class);
  public final Map<EntityOutcome, LongAdder> images = new EnumMap<>(EntityOutcome.class);
  public final Map<PruneOutcome, LongAdder> prunes = new EnumMap<>(PruneOutcome.class);
  public final LongAdder blobsUploaded = new LongAdder();
  public final LongAdder blobsMounted = new LongAdder();
  public final LongAdder blobsSkipped = new LongAdder();
  public final LongAdder bytesCopied = new LongAdder();
  public final LongAdder bytesResumed = new LongAdder();
  public final LongAdder upstreamBytes = new LongAdder();
  public final LongAdder referrersCopied = new LongAdder();
  public final AtomicLong lastPassUpstreamBytes = new AtomicLong();
  public final AtomicLong upstreamBytesTotal = new AtomicLong();
  public final AtomicLong lastPassNanos = new AtomicLong();
  public final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
  public final Timed checkpointSaves = new Timed();

  public PassFigures() {
    for (PassOutcome outcome : PassOutcome.values()) {
      passes.put(outcome, new Timed());
    }
    for (EntityOutcome outcome : EntityOutcome.values()) {
      images.put(outcome, new LongAdder());
    }
    for (PruneOutcome outcome : PruneOutcome.values()) {
      prunes.put(outcome, new LongAdder());
    }
  }

  /** Adds a finished pass; {@code now} is when it ended. */
  public void passFinished(SyncReport report, Instant now) {
    PassOutcome outcome = PassOutcome.of(report);
    passes.get(outcome).record(report.duration().toNanos());
    lastPassNanos.set(report.duration().toNanos());
    images.get(EntityOutcome.REPLICATED).add(report.replicated());
    images.get(EntityOutcome.ALREADY_PRESENT).add(report.unchanged());
    images.get(EntityOutcome.FAILED).add(report.failed());
    images.get(EntityOutcome.DEFERRED).add(report.deferred().size());
    blobsUploaded.add(report.blobsUploaded());
    blobsMounted.add(report.blobsMounted());
    blobsSkipped.add(report.blobsSkipped());
    bytesCopied.add(report.bytesCopied());
    bytesResumed.add(report.bytesResumed());
    upstreamBytes.add(report.upstreamBytes());
    referrersCopied.add(report.referrersCopied());
    lastPassUpstreamBytes.set(report.upstreamBytes());
    upstreamBytesTotal.set(report.upstreamBytesTotal());
    if (outcome == PassOutcome.COMPLETE || outcome == PassOutcome.INCOMPLETE) {
      lastSuccess.set(now);
    }
  }
}
