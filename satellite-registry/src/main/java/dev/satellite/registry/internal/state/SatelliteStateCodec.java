package dev.satellite.registry.internal.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SatelliteState;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The satellite state {@code artifacts.json}: {@code {"states": [group state references], "config":
 * "config state reference"}}. References are kept as written; a missing or {@code null} list and
 * an empty config reference mean none (Ground Control leaves {@code states} out when the satellite
 * follows no group); duplicate group references count once; unknown fields are ignored.
 */
public final class SatelliteStateCodec {
  private SatelliteStateCodec() {}

  /**
   * @param ref the reference the document was read from, named in errors
   * @throws SatelliteException when the document is not JSON or a field has the wrong type
   */
  public static SatelliteState decode(String ref, byte[] json) {
    String action = "read satellite state " + ref;
    ObjectNode root = StateJson.parseObject(action, json);
    try {
      List<String> states = StateJson.stringList(root, "states", false);
      for (String state : states) {
        if (state.isBlank()) {
          throw new StateJson.BadField("field 'states' holds an empty reference");
        }
      }
      Optional<String> config =
          StateJson.optionalText(root, "config").filter(text -> !text.isBlank());
      return new SatelliteState(List.copyOf(new LinkedHashSet<>(states)), config);
    } catch (StateJson.BadField e) {
      throw new SatelliteException(action + ": artifacts.json: " + e.getMessage(), e);
    }
  }

  /** The document for {@code groupRefs} and {@code configRef}, fields in Ground Control's order. */
  public static byte[] encode(List<String> groupRefs, Optional<String> configRef) {
    ObjectNode root = StateJson.newObject();
    groupRefs.forEach(root.putArray("states")::add);
    root.put("config", configRef.orElse(""));
    return StateJson.write(root);
  }
}
