package dev.satellite.agent.groundcontrol.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.core.SatelliteException;
import dev.satellite.persistence.OwnerOnlyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The registration Ground Control handed out, kept in the state directory ({@value #NAME}) so
 * that later starts need no token (tokens are single-use).
 *
 * <p>Format (version 1): {@code {"format": "satellite-registration", "version": 1, "groundControl":
 * url, "registeredAt": time, "state": ref, "auth": {"url", "username", "password"}, "sha256": hex}},
 * the checksum over the compact JSON of every other member in this order, so truncation and
 * changed characters are caught. Written atomically with mode {@code 0600} ({@link OwnerOnlyFile});
 * the password is never logged. A file that fails its checks is set aside as {@code
 * registration.json.corrupt-<time>} by {@link #setAside} (the caller decides: without a token the
 * satellite cannot register again).
 */
public final class RegistrationFile {
  public static final String NAME = "registration.json";
  private static final String FORMAT = "satellite-registration";

  private final OwnerOnlyFile file;
  private final Clock clock;

  public RegistrationFile(Path stateDirectory, Clock clock) {
    this.file = OwnerOnlyFile.at(stateDirectory.resolve(NAME));
    this.clock = clock;
  }

  public Path path() {
    return file.path();
  }

  /** A saved registration and the Ground Control that handed it out. */
  public record Saved(String groundControl, Registration registration) {}

  /**
   * The saved registration; empty when none was saved.
   *
   * @throws CorruptRegistrationException when the file is not a valid registration
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
    if (root == null || !root.isObject()) {
      throw corrupt("it is not a JSON object");
    }
    ObjectNode object = (ObjectNode) root;
    if (!FORMAT.equals(object.path("format").asText(null))) {
      throw corrupt("its format is not " + FORMAT);
    }
    if (object.path("version").asInt(-1) != 1) {
      throw corrupt("its version " + object.path("version") + " is not 1");
    }
    String sum = object.path("sha256").asText("");
    object.remove("sha256");
    if (!sum.equals(checksum(object))) {
      throw corrupt("its checksum does not match (truncated or changed)");
    }
    JsonNode auth = object.path("auth");
    try {
      return Optional.of(new Saved(object.path("groundControl").asText(""),
          new Registration(object.path("state").asText(null), auth.path("url").asText(null),
              auth.path("username").asText(null), auth.path("password").asText(null))));
    } catch (IllegalArgumentException e) {
      throw corrupt(e.getMessage());
    }
  }

  /**
   * Saves {@code registration}, handed out by {@code groundControl}, replacing any saved one.
   *
   * @throws SatelliteException naming the file when it cannot be written (the old one stays)
   */
  public void save(String groundControl, Registration registration) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", 1);
    root.put("groundControl", groundControl);
    root.put("registeredAt", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    root.put("state", registration.stateReference());
    ObjectNode auth = root.putObject("auth");
    auth.put("url", registration.registryUrl());
    auth.put("username", registration.username());
    auth.put("password", registration.password());
    root.put("sha256", checksum(root));
    try {
      file.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new SatelliteException("save registration to " + file + ": " + e, e);
    }
  }

  /**
   * Renames the file to {@code registration.json.corrupt-<time>}, kept for inspection.
   *
   * @return the new name
   */
  public Path setAside() {
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .format(clock.instant().atOffset(ZoneOffset.UTC));
    Path aside = file.path().resolveSibling(NAME + ".corrupt-" + stamp);
    try {
      Files.move(file.path(), aside, StandardCopyOption.ATOMIC_MOVE);
      return aside;
    } catch (IOException e) {
      throw new SatelliteException("set aside the corrupt registration " + file + ": " + e, e);
    }
  }

  /** SHA-256 (hex) over the compact JSON of {@code withoutSum}, as the saved files carry it. */
  static String checksum(ObjectNode withoutSum) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(Json.MAPPER.writeValueAsBytes(withoutSum)));
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException("SHA-256 over the registration: " + e, e);
    }
  }

  private CorruptRegistrationException corrupt(String why) {
    return new CorruptRegistrationException(
        "the saved registration " + file + " cannot be used: " + why);
  }

  /** The saved registration fails its checks. */
  public static final class CorruptRegistrationException extends SatelliteException {
    private static final long serialVersionUID = 1L;

    CorruptRegistrationException(String message) {
      super(message);
    }
  }
}
