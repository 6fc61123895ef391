package dev.satellite.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.core.SatelliteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The node's own config file ({@code satellite agent --config <file>}), in the shape of the Go
 * satellite's {@code config.json}: its {@code app_config} section, with the fields of {@link
 * SatelliteConfig} ({@code state_config} and {@code zot_config} are not read here).
 *
 * <p><b>Why it exists.</b> Ground Control decodes every config it is given into its own Go struct
 * and marshals that again, so fields it does not know ({@code max_bandwidth}, {@code
 * sync_windows}, {@code sync_window_zone}, {@code max_bytes_per_pass}) never reach a satellite
 * through it. They come from this file.
 *
 * <p><b>Precedence.</b> The file's fields are laid {@link #over} every config state Ground Control
 * publishes (objects merged member by member, anything else replaced), so a field set here wins
 * over Ground Control's; the satellite's builder (the command line) wins over both, and a field
 * set nowhere takes its default. Before Ground Control's config is known (at start, before
 * registration) the file is also the config the satellite starts with ({@link #config}).
 *
 * <p>The file is checked when read: a field of the wrong type or with an invalid value fails
 * {@link #read} with a message naming the file and the field, instead of being ignored as in a
 * config state from Ground Control (which the operator of one node cannot fix).
 */
public final class LocalConfig {
  private final Path file;
  private final ObjectNode appConfig;
  private final SatelliteConfig config;

  private LocalConfig(Path file, ObjectNode appConfig, SatelliteConfig config) {
    this.file = file;
    this.appConfig = appConfig;
    this.config = config;
  }

  /**
   * Reads and checks {@code file}.
   *
   * @throws SatelliteException naming the file, and the field when one is wrong: the file cannot
   *     be read, is not a JSON object, or a field of {@code app_config} is invalid
   */
  public static LocalConfig read(Path file) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SatelliteException("config file " + file + " cannot be read: " + e, e);
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new SatelliteException("config file " + file + " is not valid JSON: "
          + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")", e);
    } catch (IOException e) {
      throw new SatelliteException("config file " + file + " cannot be read: " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new SatelliteException("config file " + file + " must hold a JSON object such as"
          + " {\"app_config\": {\"max_bandwidth\": 1048576}}");
    }
    JsonNode app = root.get("app_config");
    if (app == null || app.isNull()) {
      throw new SatelliteException("config file " + file + " has no app_config section: the"
          + " settings go there, as in the Go satellite's config.json");
    }
    if (!app.isObject()) {
      throw new SatelliteException("config file " + file + ": app_config must be a JSON object");
    }
    SatelliteConfig.Reading reading = SatelliteConfig.read(bytes, SatelliteConfig.defaults());
    if (!reading.problems().isEmpty()) {
      throw new SatelliteException("config file " + file + ": "
          + String.join("; ", reading.problems()).replace("; the previous value stays", ""));
    }
    return new LocalConfig(file.toAbsolutePath(), ((ObjectNode) app).deepCopy(),
        reading.config());
  }

  /** The file this was read from. */
  public Path file() {
    return file;
  }

  /** The file's settings over the defaults: what a satellite starts with before Ground Control. */
  public SatelliteConfig config() {
    return config;
  }

  /**
   * {@code configState} (a config state's {@code artifacts.json}) with this file's {@code
   * app_config} laid over its own: members of objects merged recursively, every other value
   * replaced. A {@code configState} that is not a JSON object is returned as it is (reading it
   * reports why).
   */
  public byte[] over(byte[] configState) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(configState);
    } catch (IOException e) {
      return configState;
    }
    if (root == null || !root.isObject()) {
      return configState;
    }
    ObjectNode merged = ((ObjectNode) root).deepCopy();
    JsonNode app = merged.get("app_config");
    if (app == null || !app.isObject()) {
      if (app != null && !app.isNull()) {
        return configState; // an invalid app_config is reported by the reader, not hidden here
      }
      merged.set("app_config", appConfig.deepCopy());
    } else {
      mergeInto((ObjectNode) app, appConfig);
    }
    try {
      return Json.MAPPER.writeValueAsBytes(merged);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that was just read cannot be written", e);
    }
  }

  private static void mergeInto(ObjectNode target, ObjectNode overlay) {
    for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode existing = target.get(field.getKey());
      if (existing != null && existing.isObject() && field.getValue().isObject()) {
        mergeInto((ObjectNode) existing, (ObjectNode) field.getValue());
      } else {
        target.set(field.getKey(), field.getValue().deepCopy());
      }
    }
  }

  @Override
  public String toString() {
    return "LocalConfig[" + file + "]";
  }
}
