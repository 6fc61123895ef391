package dev.satellite.agent.groundcontrol.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.groundcontrol.CredentialState;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.core.SatelliteException;
import dev.satellite.persistence.OwnerOnlyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@link CredentialState} of a fleet member in its state directory ({@value #NAME}), written
 * atomically at each change (never a secret):
 * {@code {"robot", "harborRefuses", "groundControlRefuses", "since", "refreshedAt"?, "problem"?}}.
 */
public final class CredentialStatusFile {
  public static final String NAME = "credentials.json";

  private final OwnerOnlyFile file;

  public CredentialStatusFile(Path stateDirectory) {
    this.file = OwnerOnlyFile.at(stateDirectory.resolve(NAME));
  }

  /**
   * Replaces the file with {@code state}.
   *
   * @throws SatelliteException naming the file when it cannot be written
   */
  public void write(CredentialState state) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("robot", state.robot());
    root.put("harborRefuses", state.harborRefuses());
    root.put("groundControlRefuses", state.groundControlRefuses());
    root.put("since", state.since().toString());
    state.refreshedAt().ifPresent(at -> root.put("refreshedAt", at.toString()));
    state.problem().ifPresent(problem -> root.put("problem", problem));
    try {
      file.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new SatelliteException("save the credential state to " + file + ": " + e, e);
    }
  }

  /**
   * The state saved last; empty when none was.
   *
   * @throws SatelliteException naming the file when it is not a credential state
   */
  public Optional<CredentialState> read() {
    Optional<byte[]> bytes = file.read();
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode root = Json.MAPPER.readTree(bytes.get());
      if (root == null || !root.isObject()) {
        throw new IOException("not a JSON object");
      }
      return Optional.of(new CredentialState(root.path("robot").asText(),
          root.path("harborRefuses").asBoolean(), root.path("groundControlRefuses").asBoolean(),
          Instant.parse(root.path("since").asText()),
          Optional.ofNullable(root.get("refreshedAt")).map(at -> Instant.parse(at.asText())),
          Optional.ofNullable(root.get("problem")).map(JsonNode::asText)));
    } catch (IOException | DateTimeParseException e) {
      throw new SatelliteException("read the credential state " + file + ": not a credential"
          + " state (" + e.getMessage() + ")", e);
    }
  }
}
