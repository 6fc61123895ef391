package dev.satellite.examples;

import dev.satellite.agent.Satellite;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncReport;
import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.registry.RegistryClient;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugging in another {@link StateStore}: here a decorator that logs every checkpoint write and
 * keeps the last one in memory, around the crash-safe file store. A store backed by a database or
 * a key-value service implements the same two methods, with the same promise: {@code save} is
 * atomic (a crash leaves the previous or the new checkpoint, never a mix).
 *
 * <p>Runs one pass of a {@link Satellite} built with this store
 * ({@code Satellite.builder().stateStore(store)}).
 */
public final class CustomStateStore {
  private CustomStateStore() {}

  /** Logs each save and remembers the last checkpoint; delegates durability to another store. */
  static final class LoggingStateStore implements StateStore {
    private static final Logger log = LoggerFactory.getLogger(LoggingStateStore.class);
    private final StateStore delegate;
    private volatile Checkpoint last;

    LoggingStateStore(StateStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<Checkpoint> load() {
      Optional<Checkpoint> loaded = delegate.load();
      log.info("loaded checkpoint: {} entities", loaded.map(Checkpoint::entityCount).orElse(0));
      loaded.ifPresent(c -> last = c);
      return loaded;
    }

    @Override
    public void save(Checkpoint checkpoint) {
      delegate.save(checkpoint);
      last = checkpoint;
      log.info(
          "saved checkpoint: {} groups, {} entities",
          checkpoint.groups().size(),
          checkpoint.entityCount());
    }

    Optional<Checkpoint> last() {
      return Optional.ofNullable(last);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * One pass with this store around the file store: {@code <state reference> <upstream url>
   * <edge url> <checkpoint file>} (plain HTTP or HTTPS trusted by the system; see {@link
   * ApiExample} for credentials and CAs).
   */
  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: CustomStateStore <state reference> <upstream url> <edge url>"
          + " <checkpoint file>");
      System.exit(2);
    }
    try (RegistryClient upstream = RegistryClient.builder(args[1]).build();
        RegistryClient edge = RegistryClient.builder(args[2]).build();
        LoggingStateStore store =
            new LoggingStateStore(AtomicFileStateStore.open(Path.of(args[3])));
        Satellite satellite = Satellite.builder()
            .upstream(upstream, args[0])
            .edge(edge)
            .stateStore(store)
            .build()) {
      SyncReport report = satellite.syncOnce();
      System.out.println(report.toJson());
      System.exit(report.ok() ? 0 : 1);
    }
  }
}
