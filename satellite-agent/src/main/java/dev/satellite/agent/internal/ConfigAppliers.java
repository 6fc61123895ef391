package dev.satellite.agent.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.core.ConfigHandler;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a config state takes effect: its typed config is read over the config applied last
 * ({@link SatelliteConfig#read}: invalid values are logged at WARN and keep their previous value),
 * then handed, with the previous one, to each {@link Applier} in the order given, then the body
 * to the application's handler. The list is built in one place (the satellite's assembler) and
 * never changes.
 *
 * <p>An applier acts only on what differs between the previous and the next config, and handles
 * its own failures (it logs them and keeps what was in force). Configs are applied one at a time
 * (under this object's lock), each read over the one applied before. A failure of the
 * application's handler, which is called outside that lock, propagates: the reconciler offers
 * the config again next pass.
 */
public final class ConfigAppliers implements ConfigHandler {
  private static final Logger log = LoggerFactory.getLogger(ConfigAppliers.class);

  /** One step of applying a config. */
  @FunctionalInterface
  public interface Applier {
    /** Makes what differs from {@code previous} in {@code next} take effect. */
    void apply(SatelliteConfig previous, SatelliteConfig next);
  }

  private final List<Applier> appliers;
  private final UnaryOperator<byte[]> overlay;
  private final ConfigHandler application;
  private final BiConsumer<String, byte[]> applied;
  private SatelliteConfig current = SatelliteConfig.defaults();

  /**
   * @param appliers applied in this order
   * @param overlay what is laid over each body before it is read (the local config file)
   * @param application told of each config state a pass reads, after the appliers and {@code
   *     applied}, with the body as read; may be null
   * @param applied told of each config state applied (also at start), after the appliers, with
   *     the body as it came (to save it)
   */
  public ConfigAppliers(List<Applier> appliers, UnaryOperator<byte[]> overlay,
      ConfigHandler application, BiConsumer<String, byte[]> applied) {
    this.appliers = List.copyOf(appliers);
    this.overlay = overlay;
    this.application = application;
    this.applied = applied;
  }

  /** The config applied last (defaults before any). */
  public synchronized SatelliteConfig current() {
    return current;
  }

  @Override
  public void configChanged(String digest, byte[] body) {
    byte[] read = applyBody(digest, body);
    if (application != null) {
      application.configChanged(digest, read);
    }
  }

  /**
   * Applies a config state found at start (read from Harbor, or saved), without the application's
   * handler: it hears of configs its passes read.
   */
  public void applyAtStart(String digest, byte[] body) {
    applyBody(digest, body);
  }

  /** Reads {@code body} over the config applied last and applies it, as one step. */
  private synchronized byte[] applyBody(String digest, byte[] body) {
    byte[] read = overlay.apply(body);
    SatelliteConfig.Reading reading = SatelliteConfig.read(read, current);
    reading.problems().forEach(problem -> log.warn("config {}: {}", digest, problem));
    apply(reading.config());
    applied.accept(digest, body);
    return read;
  }

  /**
   * Applies {@code next}: each applier makes what differs from the config applied last take
   * effect.
   */
  public synchronized void apply(SatelliteConfig next) {
    SatelliteConfig previous = current;
    current = next;
    for (Applier applier : appliers) {
      applier.apply(previous, next);
    }
  }
}
