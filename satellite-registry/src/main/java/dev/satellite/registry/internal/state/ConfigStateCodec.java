package dev.satellite.registry.internal.state;

import dev.satellite.core.SatelliteException;

/**
 * The config state {@code artifacts.json}: any JSON value, handed to the application as bytes. It
 * is only checked to be well-formed JSON (one value, nothing after it).
 */
public final class ConfigStateCodec {
  private ConfigStateCodec() {}

  /**
   * Returns {@code json} once checked.
   *
   * @param action what is being done, e.g. {@code "read config state <ref>"}
   * @throws SatelliteException starting with {@code action} when it is not JSON
   */
  public static byte[] requireJson(String action, byte[] json) {
    StateJson.parse(action, json);
    return json;
  }
}
