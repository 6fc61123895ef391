package dev.satellite.core.internal;

import dev.satellite.core.ConfigHandler;
import dev.satellite.core.Replicator;
import dev.satellite.core.StateSource;
import dev.satellite.core.UpstreamMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What a pass works with, as configured on the reconciler's builder.
 *
 * @param configHandler null when the application handles no config (the config is then not read)
 * @param cancelGrace how long an interrupted pass waits for its workers to stop
 * @param meter counts upstream bytes; one that counts nothing when none is configured
 */
public record SyncSettings(
    StateSource source,
    Replicator replicator,
    SafeListener listener,
    ConfigHandler configHandler,
    int groupParallelism,
    int entityParallelism,
    Clock clock,
    Duration cancelGrace,
    UpstreamMeter meter) {

  public SyncSettings {
    Objects.requireNonNull(source, "stateSource");
    Objects.requireNonNull(replicator, "replicator");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(cancelGrace, "cancelGrace");
    Objects.requireNonNull(meter, "meter");
    if (groupParallelism < 1 || entityParallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
  }
}
