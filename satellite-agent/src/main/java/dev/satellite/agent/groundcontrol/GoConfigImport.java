package dev.satellite.agent.groundcontrol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile;
import dev.satellite.agent.groundcontrol.internal.SavedConfigFile;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.agent.internal.support.StateDirectory;
import dev.satellite.core.SatelliteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Moves a node from the Go satellite to this one without a new token: reads the Go satellite's
 * {@code config.json} (unencrypted: {@code app_config.encrypt_config} off) and writes into a state
 * directory what this satellite would have saved after registering itself.
 *
 * <ul>
 *   <li>the registration ({@code registration.json}, mode {@code 0600}, checksummed) from {@code
 *       state_config.auth} ({@code url}, {@code username}, {@code password}: the Harbor robot
 *       account Ground Control handed out) and {@code state_config.state} (the satellite state
 *       reference);
 *   <li>the config ({@code config-state.json}, the same way): the document without its {@code
 *       state_config} (the credentials stay in the registration only), so the satellite starts
 *       with the Go node's {@code app_config} until Ground Control's config is read.
 * </ul>
 *
 * <p>Ground Control keeps the robot account it created for the Go node; this satellite uses it as
 * its own, and Ground Control, which refuses a second registration under the same name, sees the
 * same satellite. The import takes the state directory (it fails while an agent runs on it) and
 * refuses a directory that holds a registration already, whose credentials it would replace.
 */
public final class GoConfigImport {
  private static final String REGISTERED = "the Go satellite writes it there when it registers"
      + " (a config.json of a satellite that never registered cannot be imported)";

  private GoConfigImport() {}

  /**
   * What was imported.
   *
   * @param satelliteName the satellite's name, from the state reference
   * @param registrationFile the registration written
   * @param configFile the config written
   */
  public record Result(String satelliteName, Path registrationFile, Path configFile) {}

  /**
   * Imports {@code goConfig} into {@code stateDirectory} (created when missing).
   *
   * @param groundControlUrl the Ground Control that handed the registration out, recorded with
   *     it; null to take {@code app_config.ground_control_url}
   * @throws SatelliteException naming the file and the field that is missing or wrong, the state
   *     directory when it is in use or holds a registration, or a file that cannot be written
   */
  public static Result importInto(Path goConfig, String groundControlUrl, Path stateDirectory) {
    Objects.requireNonNull(goConfig, "goConfig");
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    ObjectNode root = read(goConfig);
    JsonNode state = root.path("state_config");
    Registration registration;
    try {
      registration = new Registration(text(goConfig, state, "state_config.state", REGISTERED),
          text(goConfig, state.path("auth"), "state_config.auth.url", REGISTERED),
          text(goConfig, state.path("auth"), "state_config.auth.username", REGISTERED),
          text(goConfig, state.path("auth"), "state_config.auth.password", REGISTERED));
    } catch (IllegalArgumentException e) {
      throw new SatelliteException("Go config " + goConfig + ": " + e.getMessage(), e);
    }
    String groundControl = groundControlUrl != null ? groundControlUrl
        : text(goConfig, root.path("app_config"), "app_config.ground_control_url",
            "give Ground Control's URL instead");
    ObjectNode config = root.deepCopy();
    config.remove("state_config");
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that was just read cannot be written", e);
    }
    try (StateDirectory directory = StateDirectory.open(stateDirectory)) {
      RegistrationFile registrationFile = new RegistrationFile(directory.path(), Clock.systemUTC());
      if (Files.exists(registrationFile.path())) {
        throw new SatelliteException("state directory " + directory.path() + " holds a"
            + " registration already (" + RegistrationFile.NAME + "); importing " + goConfig
            + " would replace its credentials: remove the file first if that is meant");
      }
      SavedConfigFile configFile = new SavedConfigFile(directory.path(), Clock.systemUTC());
      configFile.save(digest(body), body);
      registrationFile.save(groundControl, registration);
      return new Result(registration.satelliteName(), registrationFile.path(), configFile.path());
    }
  }

  private static ObjectNode read(Path goConfig) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(goConfig);
    } catch (IOException e) {
      throw new SatelliteException("Go config " + goConfig + " cannot be read: " + e, e);
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new SatelliteException("Go config " + goConfig + " is not JSON (an encrypted config,"
          + " written with app_config.encrypt_config, cannot be imported: start the Go satellite"
          + " once with encrypt_config off to write it in the clear)", e);
    }
    if (root == null || !root.isObject()) {
      throw new SatelliteException("Go config " + goConfig + " must hold a JSON object with"
          + " state_config and app_config");
    }
    return (ObjectNode) root;
  }

  /** The non-blank string at {@code path} (whose last part is the member's name). */
  private static String text(Path file, JsonNode parent, String path, String hint) {
    JsonNode value = parent.get(path.substring(path.lastIndexOf('.') + 1));
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw new SatelliteException("Go config " + file + ": " + path + " is "
          + (value == null || value.isNull() ? "missing" : "not a non-empty string") + "; "
          + hint);
    }
    return value.textValue();
  }

  private static String digest(byte[] body) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }
}
