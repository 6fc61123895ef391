package dev.satellite.core;

/**
 * Applies the satellite's config (the body of the config state artifact, usually JSON) in the
 * application. Called by {@link Reconciler#sync()} only when the config digest differs from the one
 * in the checkpoint; the new digest is checkpointed only after this method returned normally, so
 * a handler that throws (or a crash while it runs) gets the same config again next pass.
 */
@FunctionalInterface
public interface ConfigHandler {

  /**
   * @param digest digest of the config state, as reported by the {@link StateSource}
   * @param config the config body; the handler may keep the array
   * @throws RuntimeException when the config could not be applied; reported in the
   *     {@link SyncReport} as an error, the previous digest stays in the checkpoint
   */
  void configChanged(String digest, byte[] config);
}
