package dev.satellite.agent.internal;

import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.EntityOutcome;
import dev.satellite.core.GroupReport;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.StateStoreException;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.core.UpstreamMeter;
import dev.satellite.persistence.AtomicFileByteTotal;
import dev.satellite.registry.ImageCopier;
import dev.satellite.registry.LinkRules;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.SyncWindow;
import dev.satellite.registry.UpstreamByteCounter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A satellite's rules for its link to the upstream, and its meter of it: the bandwidth cap on the
 * image copier, the sync windows and per-pass byte budget as the copier's transfer gate ({@link
 * LinkRules}, its budget renewed as each pass starts), and the upstream byte meter: every response
 * byte of the upstream client counted ({@link UpstreamByteCounter}), each pass's count added to a
 * running total kept in a file ({@link AtomicFileByteTotal}), or in memory when the satellite has
 * no file of its own.
 */
public final class EdgeLink {
  private static final Logger log = LoggerFactory.getLogger(EdgeLink.class);

  private final OptionalLong maxBandwidth;
  private final LinkRules rules;
  private final UpstreamByteCounter counter = new UpstreamByteCounter();
  private final AtomicFileByteTotal total;
  private final AtomicLong totalInMemory = new AtomicLong();

  private EdgeLink(Options options, AtomicFileByteTotal total) {
    this.maxBandwidth = options.maxBandwidth;
    LinkRules.Builder rules =
        LinkRules.builder().windows(options.windows).zone(options.zone).clock(options.clock);
    options.maxBytesPerPass.ifPresent(rules::maxBytesPerPass);
    this.rules = rules.build();
    this.total = total;
  }

  /** The rules in force: windows, zone, budget. */
  public LinkRules rules() {
    return rules;
  }

  /** Puts the bandwidth cap and the gate on {@code copier}; returns it. */
  public ImageCopier.Builder configure(ImageCopier.Builder copier) {
    maxBandwidth.ifPresent(copier::maxBandwidth);
    return copier.transferGate(rules);
  }

  /** {@code upstream} with every response byte counted by this link's meter. */
  public RegistryClient metered(RegistryClient upstream) {
    return counter.counting(upstream);
  }

  /** The meter for the reconciler: bytes counted on the upstream client, and the running total. */
  public UpstreamMeter meter() {
    return new UpstreamMeter() {
      @Override
      public long bytesRead() {
        return counter.bytesRead();
      }

      @Override
      public long passEnded(long passBytes) {
        if (total == null) {
          return totalInMemory.addAndGet(passBytes);
        }
        try {
          return total.add(passBytes);
        } catch (StateStoreException e) {
          log.warn("the running total of upstream bytes could not be saved ({}); it is kept in"
              + " memory and saved with the next pass", e.getMessage());
          return total.bytes();
        }
      }
    };
  }

  /**
   * {@code listener} (may be null) with the budget renewed as each pass starts, before the
   * listener hears of it.
   */
  public SyncListener listener(SyncListener listener) {
    return new PassStart(listener == null ? new SyncListener() {} : listener, rules);
  }

  /** What a satellite's builder collected; every setting optional. */
  public static final class Options {
    private OptionalLong maxBandwidth = OptionalLong.empty();
    private List<SyncWindow> windows = List.of();
    private ZoneId zone = ZoneId.systemDefault();
    private OptionalLong maxBytesPerPass = OptionalLong.empty();
    private Clock clock = Clock.systemUTC();

    /** @throws IllegalArgumentException when below 1 */
    public void maxBandwidth(long bytesPerSecond) {
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("maxBandwidth must be at least 1 byte/s: "
            + bytesPerSecond);
      }
      maxBandwidth = OptionalLong.of(bytesPerSecond);
    }

    public void windows(List<SyncWindow> windows) {
      this.windows = List.copyOf(windows);
    }

    public void zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** @throws IllegalArgumentException when below 1 */
    public void maxBytesPerPass(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBytesPerPass must be at least 1: " + bytes);
      }
      maxBytesPerPass = OptionalLong.of(bytes);
    }

    public void clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The link, its running total kept in {@code totalFile} (null: in memory only, from 0).
     *
     * @throws StateStoreException when the total's file cannot be read nor started
     */
    public EdgeLink build(Path totalFile) {
      return new EdgeLink(this, totalFile == null ? null : AtomicFileByteTotal.open(totalFile));
    }
  }

  /** Renews the budget as a pass starts, then tells the application's listener everything. */
  private record PassStart(SyncListener next, LinkRules rules) implements SyncListener {
    @Override
    public void syncStarted() {
      rules.startPass();
      next.syncStarted();
    }

    @Override
    public void groupStarted(String groupRef) {
      next.groupStarted(groupRef);
    }

    @Override
    public void groupFinished(String groupRef, GroupReport report) {
      next.groupFinished(groupRef, report);
    }

    @Override
    public void entityStarted(String groupRef, Entity entity) {
      next.entityStarted(groupRef, entity);
    }

    @Override
    public void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {
      next.entityFinished(groupRef, entity, outcome);
    }

    @Override
    public void bytesCopied(Entity entity, long bytesSoFar) {
      next.bytesCopied(entity, bytesSoFar);
    }

    @Override
    public void pruned(String groupRef, Entity entity, PruneOutcome outcome) {
      next.pruned(groupRef, entity, outcome);
    }

    @Override
    public void checkpointSaved(Checkpoint checkpoint) {
      next.checkpointSaved(checkpoint);
    }

    @Override
    public void syncFinished(SyncReport report) {
      next.syncFinished(report);
    }
  }
}
