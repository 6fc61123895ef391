package dev.satellite.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.groundcontrol.CredentialState;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.groundcontrol.internal.CredentialStatusFile;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.agent.internal.support.StateDirectory;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.SatelliteException;
import dev.satellite.persistence.AtomicFileByteTotal;
import dev.satellite.persistence.AtomicFileStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a satellite's state directory says, read without taking its lock, so it works while the
 * satellite runs and after it crashed: the last pass's report, the images at the edge by group and
 * the config digest (from the checkpoint), the registration (its password never shown), whether
 * its robot account is refused, and the bytes read from the upstream so far. Each file is replaced atomically by its writer, so each
 * is read whole; a file that cannot be read is a {@link #problems() problem}, not an error.
 */
public final class SatelliteStatus {
  private final Path directory;
  private final Optional<JsonNode> lastPass;
  private final Optional<Checkpoint> checkpoint;
  private final Optional<Registration> registration;
  private final Optional<UpstreamBytes> upstreamBytes;
  private final Optional<CredentialState> credentials;
  private final List<String> problems;

  private SatelliteStatus(Path directory, Optional<JsonNode> lastPass,
      Optional<Checkpoint> checkpoint, Optional<Registration> registration,
      Optional<UpstreamBytes> upstreamBytes, Optional<CredentialState> credentials,
      List<String> problems) {
    this.directory = directory;
    this.lastPass = lastPass;
    this.checkpoint = checkpoint;
    this.registration = registration;
    this.upstreamBytes = upstreamBytes;
    this.credentials = credentials;
    this.problems = List.copyOf(problems);
  }

  /**
   * Reads {@code stateDirectory}.
   *
   * @throws SatelliteException when it is not a directory
   */
  public static SatelliteStatus read(Path stateDirectory) {
    Path dir = stateDirectory.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new SatelliteException("read the status of " + dir + ": not a directory");
    }
    List<String> problems = new ArrayList<>();
    Optional<JsonNode> lastPass = Optional.empty();
    Path lastPassFile = dir.resolve(StateDirectory.LAST_PASS_FILE);
    try {
      lastPass = Optional.of(Json.MAPPER.readTree(Files.readAllBytes(lastPassFile)));
    } catch (NoSuchFileException e) {
      // no pass has ended yet
    } catch (IOException e) {
      problems.add(lastPassFile + ": " + e.getMessage());
    }
    Optional<Checkpoint> checkpoint = Optional.empty();
    Optional<Registration> registration = Optional.empty();
    Optional<UpstreamBytes> bytes = Optional.empty();
    try {
      checkpoint = AtomicFileStateStore.read(dir.resolve(StateDirectory.CHECKPOINT_FILE));
    } catch (SatelliteException e) {
      problems.add(e.getMessage());
    }
    try {
      registration = new RegistrationFile(dir, Clock.systemUTC()).load()
          .map(RegistrationFile.Saved::registration);
    } catch (SatelliteException e) {
      problems.add(e.getMessage());
    }
    try {
      bytes = AtomicFileByteTotal.read(dir.resolve(StateDirectory.UPSTREAM_BYTES_FILE))
          .map(total -> new UpstreamBytes(total.bytes(), total.since()));
    } catch (SatelliteException e) {
      problems.add(e.getMessage());
    }
    Optional<CredentialState> credentials = Optional.empty();
    try {
      credentials = new CredentialStatusFile(dir).read();
    } catch (SatelliteException e) {
      problems.add(e.getMessage());
    }
    return new SatelliteStatus(dir, lastPass, checkpoint, registration, bytes, credentials,
        problems);
  }

  /** The last pass's report ({@code SyncReport.toJson()}), when a pass has ended. */
  public Optional<String> lastPassJson() {
    return lastPass.map(JsonNode::toString);
  }

  /** The images (repository:tag entries) the checkpoint records at the edge, by group. */
  public Map<String, List<Entity>> imagesByGroup() {
    Map<String, List<Entity>> groups = new LinkedHashMap<>();
    checkpoint.ifPresent(c -> c.groups().forEach((ref, entities) ->
        groups.put(ref, List.copyOf(entities))));
    return groups;
  }

  /** The digest of the config last applied and checkpointed. */
  public Optional<String> configDigest() {
    return checkpoint.flatMap(Checkpoint::configDigest);
  }

  /**
   * Whether Harbor and Ground Control accepted the fleet member's robot account when it last
   * changed (refused since when, last refresh, what failed); none outside a fleet, or before
   * anything changed.
   */
  public Optional<CredentialState> credentials() {
    return credentials;
  }

  /** The saved Ground Control registration (outside a fleet: none). */
  public Optional<Registration> registration() {
    return registration;
  }

  /**
   * The bytes read from the upstream since the state directory was created.
   *
   * @param total the bytes
   * @param since when counting began
   */
  public record UpstreamBytes(long total, Instant since) {}

  /** Bytes read from the upstream since the state directory was created. */
  public Optional<UpstreamBytes> upstreamBytes() {
    return upstreamBytes;
  }

  /** Files that could not be read, each naming the file and why. */
  public List<String> problems() {
    return problems;
  }

  /**
   * The status as one JSON object: {@code stateDirectory}, {@code lastPass} (the report, or
   * null), {@code configDigest}, {@code groups} ({@code [{"ref", "images"}]}), {@code images},
   * {@code registration} ({@code satellite}, {@code state}, {@code registry}, {@code username},
   * {@code password: "<redacted>"}; or null), {@code upstreamBytes} ({@code total}, {@code
   * since}; or null), {@code problems}.
   */
  public String toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode().put("stateDirectory", directory.toString());
    json.set("lastPass", lastPass.orElse(null));
    json.put("configDigest", configDigest().orElse(null));
    ArrayNode groups = json.putArray("groups");
    int images = 0;
    for (Map.Entry<String, List<Entity>> group : imagesByGroup().entrySet()) {
      groups.addObject().put("ref", group.getKey()).put("images", group.getValue().size());
      images += group.getValue().size();
    }
    json.put("images", images);
    json.set("registration", registration.<JsonNode>map(r -> Json.MAPPER.createObjectNode()
        .put("satellite", r.satelliteName()).put("state", r.stateReference())
        .put("registry", r.registryUrl()).put("username", r.username())
        .put("password", "<redacted>")).orElse(null));
    json.set("upstreamBytes", upstreamBytes.<JsonNode>map(t -> Json.MAPPER.createObjectNode()
        .put("total", t.total()).put("since", t.since().toString())).orElse(null));
    ArrayNode unreadable = json.putArray("problems");
    problems.forEach(unreadable::add);
    try {
      return Json.MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
