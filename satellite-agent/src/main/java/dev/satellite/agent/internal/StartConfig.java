package dev.satellite.agent.internal;

import dev.satellite.agent.config.LocalConfig;
import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.groundcontrol.internal.SavedConfigFile;
import dev.satellite.core.SatelliteState;
import dev.satellite.core.StateSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config a fleet member starts with, read once before the first pass (so that a restart
 * applies it although its digest is checkpointed already, and an edge it names is known before
 * the replicator is built): the config state the satellite state names, read from Harbor; when
 * Harbor cannot give it, the one saved last in the state directory; without either, the local
 * config file alone; else none (the defaults).
 *
 * @param digest the config state's digest; null for the local file alone or none
 * @param body the config state as it came; null for the local file alone or none
 * @param config the typed config, the local config file laid over the state
 * @param problem why no config state could be read, if none could
 */
record StartConfig(String digest, byte[] body, SatelliteConfig config, Optional<String> problem) {
  private static final Logger log = LoggerFactory.getLogger(StartConfig.class);

  /** Reads it: from Harbor through {@code desired}, else {@code saved}, else {@code local}. */
  static StartConfig read(StateSource desired, SavedConfigFile saved, LocalConfig local) {
    String problem;
    try {
      SatelliteState state = desired.fetchSatelliteState();
      if (state.configRef().isPresent()) {
        String ref = state.configRef().get();
        String digest = desired.configDigest(ref);
        return of(digest, desired.fetchConfig(ref), local, Optional.empty());
      }
      problem = "the satellite state names no config";
    } catch (RuntimeException e) {
      problem = e.getMessage();
      log.warn("the config could not be read or applied at start; a pass applies it when it"
          + " reads it: {}", problem);
    }
    return saved(saved, local, problem);
  }

  /** The config saved last, if there is a usable one, else the local file's. */
  private static StartConfig saved(SavedConfigFile file, LocalConfig local, String problem) {
    try {
      Optional<SavedConfigFile.Saved> saved = file.load();
      if (saved.isEmpty()) {
        return local(local, problem);
      }
      log.info("starting with the config saved at {} ({}), until Harbor gives a newer one",
          saved.get().savedAt(), saved.get().digest());
      return of(saved.get().digest(), saved.get().body(), local, Optional.empty());
    } catch (RuntimeException e) {
      log.warn("the saved config is not applied either: {}", e.getMessage());
      return new StartConfig(null, null, SatelliteConfig.defaults(),
          Optional.of(problem + "; " + e.getMessage()));
    }
  }

  private static StartConfig local(LocalConfig local, String problem) {
    if (local == null) {
      return new StartConfig(null, null, SatelliteConfig.defaults(), Optional.of(problem));
    }
    log.info("starting with the config of {} until Ground Control's is read", local.file());
    return new StartConfig(null, null, typed(null, local), Optional.empty());
  }

  private static StartConfig of(String digest, byte[] body, LocalConfig local,
      Optional<String> problem) {
    return new StartConfig(digest, body, typed(body, local), problem);
  }

  /**
   * The typed config of the config state {@code body} (null for none) with the local config file
   * {@code local} (null for none) laid over it; the defaults without either.
   */
  static SatelliteConfig typed(byte[] body, LocalConfig local) {
    if (body == null) {
      return local == null ? SatelliteConfig.defaults() : local.config();
    }
    byte[] read = local == null ? body : local.over(body);
    return SatelliteConfig.read(read, SatelliteConfig.defaults()).config();
  }

  /** Applies it through {@code appliers}; nothing when there is no config at all. */
  void applyTo(ConfigAppliers appliers) {
    if (body != null) {
      appliers.applyAtStart(digest, body);
    } else if (problem.isEmpty()) {
      appliers.apply(config);
    }
  }
}
