package dev.satellite.agent.groundcontrol.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.core.SatelliteException;
import dev.satellite.persistence.OwnerOnlyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * The config state last applied, kept in the state directory ({@value #NAME}) so that a satellite
 * whose Harbor (or Ground Control) is unreachable at start still starts with the config it ran
 * with: its edge registry, intervals and runtime mirrors.
 *
 * <p>Format (version 1): {@code {"format": "satellite-config", "version": 1, "savedAt": time,
 * "digest": the config state's manifest digest, "body": base64 of the config JSON exactly as
 * read, "sha256": hex}}, the checksum over the compact JSON of every other member in this order.
 * Written atomically with mode {@code 0600} ({@link OwnerOnlyFile}): the config may hold {@code
 * local_registry} credentials. A file that fails its checks is reported, never applied.
 */
public final class SavedConfigFile {
  public static final String NAME = "config-state.json";
  private static final String FORMAT = "satellite-config";

  private final OwnerOnlyFile file;
  private final Clock clock;

  public SavedConfigFile(Path stateDirectory, Clock clock) {
    this.file = OwnerOnlyFile.at(stateDirectory.resolve(NAME));
    this.clock = clock;
  }

  /** A saved config: its digest, its body, and when it was saved. */
  public record Saved(String digest, byte[] body, Instant savedAt) {}

  public Path path() {
    return file.path();
  }

  /**
   * Saves the config {@code body} of {@code digest}, replacing the saved one.
   *
   * @throws SatelliteException naming the file when it cannot be written (the old one stays)
   */
  public void save(String digest, byte[] body) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", 1);
    root.put("savedAt", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    root.put("digest", digest);
    root.put("body", Base64.getEncoder().encodeToString(body));
    root.put("sha256", RegistrationFile.checksum(root));
    try {
      file.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new SatelliteException("save the applied config to " + file + ": " + e, e);
    }
  }

  /**
   * The saved config; empty when none was saved.
   *
   * @throws SatelliteException naming the file and what is wrong when it fails its checks
   */
  public Optional<Saved> load() {
    Optional<byte[]> bytes = file.read();
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes.get());
    } catch (IOException e) {
      throw corrupt("it is not valid JSON");
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))
        || root.path("version").asInt(-1) != 1) {
      throw corrupt("it is not a " + FORMAT + " file of version 1");
    }
    ObjectNode object = (ObjectNode) root;
    String sum = object.path("sha256").asText("");
    object.remove("sha256");
    if (!sum.equals(RegistrationFile.checksum(object))) {
      throw corrupt("its checksum does not match (truncated or changed)");
    }
    try {
      return Optional.of(new Saved(object.path("digest").asText(""),
          Base64.getDecoder().decode(object.path("body").asText("")),
          Instant.parse(object.path("savedAt").asText(""))));
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw corrupt(e.getMessage());
    }
  }

  private SatelliteException corrupt(String why) {
    return new SatelliteException("the saved config " + file + " cannot be used: " + why);
  }
}
