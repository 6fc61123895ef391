package dev.satellite.agent.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.metrics.HttpSide;
import dev.satellite.core.StateStoreException;
import dev.satellite.core.SyncListener;
import dev.satellite.core.UpstreamMeter;
import dev.satellite.persistence.AtomicFileByteTotal;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.ImageCopier;
import dev.satellite.registry.LinkRules;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.SyncWindow;
import dev.satellite.registry.TransferGate;
import dev.satellite.registry.UpstreamByteCounter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A satellite's rules for its link to the upstream, and its meter of it: the bandwidth cap on the
 * image copier, the sync windows and per-pass byte budget as the copier's transfer gate ({@link
 * LinkRules}, its budget renewed as each pass starts), and the upstream byte meter: every response
 * byte of the upstream client counted ({@link UpstreamByteCounter}), each pass's count added to a
 * running total kept in a file ({@link AtomicFileByteTotal}), or in memory when the satellite has
 * no file of its own.
 *
 * <p>Settings come from the satellite's builder (the command line) and, for each one the builder
 * left unset, from the config state, which may change them while the satellite runs: this link
 * applies the rules (from the next blob), {@link #bandwidthCap} the cap (from the copies' next
 * read).
 */
public final class EdgeLink implements TransferGate, ConfigAppliers.Applier {
  private static final Logger log = LoggerFactory.getLogger(EdgeLink.class);

  private final Options options;
  private final UpstreamByteCounter counter = new UpstreamByteCounter();
  private final AtomicFileByteTotal total;
  private final AtomicLong totalInMemory = new AtomicLong();
  private volatile LinkRules rules;

  private EdgeLink(Options options, AtomicFileByteTotal total) {
    this.options = options;
    this.total = total;
    this.rules = rules(SatelliteConfig.Link.NONE);
  }

  /** The rules in force: windows, zone, budget. */
  public LinkRules rules() {
    return rules;
  }

  /** Puts the bandwidth cap and this link as the gate on {@code copier}; returns it. */
  public ImageCopier.Builder configure(ImageCopier.Builder copier) {
    options.maxBandwidth.ifPresent(copier::maxBandwidth);
    return copier.transferGate(this);
  }

  /**
   * An applier of the config's bandwidth cap to {@code copier} (built from {@link #configure}),
   * unless the builder set one: it applies from the copies' next read.
   */
  public ConfigAppliers.Applier bandwidthCap(ImageCopier copier) {
    Objects.requireNonNull(copier, "copier");
    return new ConfigAppliers.Applier() {
      private OptionalLong bandwidth = options.maxBandwidth;

      @Override
      public synchronized void apply(SatelliteConfig previous, SatelliteConfig next) {
        OptionalLong cap = options.maxBandwidth.isPresent()
            ? options.maxBandwidth : next.link().maxBandwidth();
        if (!cap.equals(bandwidth)) {
          copier.maxBandwidth(cap);
          log.info("config: bandwidth cap {}",
              cap.isPresent() ? cap.getAsLong() + " bytes/s" : "lifted");
          bandwidth = cap;
        }
      }
    };
  }

  /**
   * Applies the link fields of a config state (sync windows, zone, byte budget) to each setting
   * the builder left unset (the builder's, i.e. the command line's, win): from the next blob.
   */
  @Override
  public void apply(SatelliteConfig previous, SatelliteConfig next) {
    apply(next.link());
  }

  /** Applies {@code config}'s windows, zone and byte budget where the builder set none. */
  public synchronized void apply(SatelliteConfig.Link config) {
    LinkRules next = rules(config);
    if (!next.toString().equals(rules.toString())) {
      log.info("config: link rules from now on {}", next);
      rules = next;
    }
  }

  @Override
  public void beforeBlob(Descriptor blob) {
    rules.beforeBlob(blob);
  }

  @Override
  public void afterChunk(Descriptor blob, long uploaded) {
    rules.afterChunk(blob, uploaded);
  }

  private LinkRules rules(SatelliteConfig.Link config) {
    LinkRules.Builder next = LinkRules.builder()
        .windows(options.windows.orElse(config.syncWindows()))
        .zone(options.zone.or(config::syncWindowZone).orElse(ZoneId.systemDefault()))
        .clock(options.clock);
    (options.maxBytesPerPass.isPresent() ? options.maxBytesPerPass : config.maxBytesPerPass())
        .ifPresent(next::maxBytesPerPass);
    return next.build();
  }

  /**
   * {@code upstream} with every response byte counted by this link's meter, and its requests
   * observed by {@code observer} as the upstream side. With a bandwidth cap
   * from the builder, its sockets' receive buffers are also bounded to 1/16 s of the cap (at least
   * 64 KiB, at most 1 MiB): each response otherwise first fills the kernel's buffer (on Linux
   * autotuned up to several MiB) at the link's full speed before the cap paces the reads, so the
   * link would see a burst, then a lull, at every blob. (A connection then carries at most twice
   * that buffer per round trip: 1 MiB per 100 ms at a 2 MiB/s cap, well above the cap.)
   */
  public RegistryClient metered(RegistryClient upstream, HttpObserver observer) {
    RegistryClient.Builder metered =
        observer.observe(upstream.newBuilder(), HttpSide.UPSTREAM).byteCounter(counter);
    if (options.maxBandwidth.isPresent()) {
      int buffer =
          (int) Math.max(64 * 1024, Math.min(1L << 20, options.maxBandwidth.getAsLong() / 16));
      metered.socketFactory(new ReceiveBuffer(buffer));
    }
    return metered.build();
  }

  /** Plain sockets with a bounded receive buffer, set before they connect. */
  private static final class ReceiveBuffer extends SocketFactory {
    private final int bytes;

    ReceiveBuffer(int bytes) {
      this.bytes = bytes;
    }

    @Override
    public Socket createSocket() throws IOException {
      Socket socket = new Socket();
      socket.setReceiveBufferSize(bytes);
      return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
        throws IOException {
      return connected(new InetSocketAddress(host, port));
    }

    private Socket connected(InetSocketAddress address) throws IOException {
      Socket socket = createSocket();
      socket.connect(address);
      return socket;
    }
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
    SyncListener passStart = new SyncListener() {
      @Override
      public void syncStarted() {
        rules.startPass();
      }
    };
    return listener == null ? passStart : SyncListener.all(passStart, listener);
  }

  /** What a satellite's builder collected; every setting optional. */
  public static final class Options {
    private OptionalLong maxBandwidth = OptionalLong.empty();
    private Optional<List<SyncWindow>> windows = Optional.empty();
    private Optional<ZoneId> zone = Optional.empty();
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
      this.windows = Optional.of(List.copyOf(windows));
    }

    public void zone(ZoneId zone) {
      this.zone = Optional.of(zone);
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
}
