package dev.satellite.agent.groundcontrol.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.internal.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Response;

/**
 * Ground Control's answers as the client reads them: a registration ({@code state}, {@code
 * auth.url}, {@code auth.username}, {@code auth.password}), a refreshed robot secret ({@code
 * secret}, optionally {@code robot_name}) and the events of a heartbeat answer ({@code events},
 * or {@code actions} as an earlier revision named them). An answer is read up to {@value
 * #MAX_ANSWER_BYTES} bytes; one that is not the JSON object expected fails with a {@link
 * GroundControlException} naming the action.
 */
public final class GroundControlAnswers {
  private static final int MAX_ANSWER_BYTES = 1 << 20;

  private GroundControlAnswers() {}

  /** The registration {@code current} with the refreshed secret (and robot name) answered. */
  public static Registration refreshed(String action, Registration current, byte[] answer) {
    JsonNode root = jsonObject(action, answer);
    String secret = text(root, "secret");
    if (secret == null || secret.isBlank()) {
      throw new GroundControlException(action + ": the answer has no 'secret'", 200, false, null);
    }
    String robot = text(root, "robot_name");
    return new Registration(current.stateReference(), current.registryUrl(),
        robot == null || robot.isBlank() ? current.username() : robot, secret);
  }

  /** The events a heartbeat answer names: none when it has no body or is not a JSON object. */
  public static List<String> events(byte[] answer) {
    JsonNode root;
    try {
      root = answer.length == 0 ? null : Json.MAPPER.readTree(answer);
    } catch (IOException notJson) {
      return List.of();
    }
    List<String> events = new ArrayList<>();
    if (root != null && root.isObject()) {
      for (String member : new String[] {"events", "actions"}) {
        root.path(member).forEach(event -> {
          if (event.isTextual() && !events.contains(event.textValue())) {
            events.add(event.textValue());
          }
        });
      }
    }
    return events;
  }

  /** The registration a {@code ztr} or {@code spiffe-ztr} request answered. */
  public static Registration registration(String action, byte[] answer) {
    JsonNode root = jsonObject(action, answer);
    JsonNode auth = root.path("auth");
    try {
      return new Registration(text(root, "state"), text(auth, "url"), text(auth, "username"),
          text(auth, "password"));
    } catch (IllegalArgumentException e) {
      throw new GroundControlException(action + ": " + e.getMessage(), 200, false, e);
    }
  }

  private static JsonNode jsonObject(String action, byte[] answer) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(answer);
    } catch (IOException e) {
      throw new GroundControlException(action + ": the answer is not JSON", 200, false, null);
    }
    if (root == null || !root.isObject()) {
      throw new GroundControlException(action + ": the answer is not a JSON object", 200, false,
          null);
    }
    return root;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /** The answer's body, up to the bound. */
  public static byte[] readAnswer(Response response) throws IOException {
    try (InputStream in = response.body().byteStream()) {
      byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
      if (bytes.length > MAX_ANSWER_BYTES) {
        throw new IOException("the answer exceeds " + MAX_ANSWER_BYTES + " bytes");
      }
      return bytes;
    }
  }
}
