package dev.satellite.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.registry.StatePublisher;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Ground Control's config routes, as harbor-satellite's {@code internal/groundcontrol/server}
 * serves them: {@code POST /api/configs} ({@code {"config_name", "config"}}: 201, 409 when the
 * name exists, 400 for a body its Go struct cannot take) and {@code PATCH /api/configs/{name}}
 * (a JSON merge patch, 404 for an unknown name). Like Ground Control, it decodes each config into
 * the Go satellite's {@code config.Config} struct and marshals that again: members the struct does
 * not know are dropped ({@code max_bandwidth}, {@code sync_windows}, ...), members at their zero
 * value are left out ({@code omitempty}), nested objects stay even when empty (Go never omits a
 * struct), and {@code zot_config} is kept as it is ({@code json.RawMessage}). The result is
 * published as the config state artifact ({@code satellite/config-state/<name>/state:latest}).
 */
final class GroundControlConfigs {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Go field's kind. */
  private enum Kind { STRING, BOOL, STRINGS, BOOL_POINTER, INT_POINTER, RAW }

  private static final Map<String, Object> TLS = schema("cert_file", Kind.STRING,
      "key_file", Kind.STRING, "ca_file", Kind.STRING, "skip_verify", Kind.BOOL);
  private static final Map<String, Object> CREDENTIALS = schema("url", Kind.STRING,
      "username", Kind.STRING, "password", Kind.STRING);
  private static final Map<String, Object> AUDIT = schema("enabled", Kind.BOOL,
      "syslog", schema("enabled", Kind.BOOL_POINTER, "target", Kind.STRING, "tag", Kind.STRING,
          "socket_path", Kind.STRING, "network", Kind.STRING, "address", Kind.STRING,
          "file", schema("path", Kind.STRING, "max_size_mb", Kind.INT_POINTER,
              "max_backups", Kind.INT_POINTER, "max_age_days", Kind.INT_POINTER,
              "compress", Kind.BOOL_POINTER)),
      "otel", schema("enabled", Kind.BOOL, "endpoint", Kind.STRING));
  private static final Map<String, Object> APP_CONFIG = schema(
      "ground_control_url", Kind.STRING, "log_level", Kind.STRING, "use_unsecure", Kind.BOOL,
      "state_replication_interval", Kind.STRING, "register_satellite_interval", Kind.STRING,
      "heartbeat_interval", Kind.STRING,
      "metrics", schema("collect_cpu", Kind.BOOL, "collect_memory", Kind.BOOL,
          "collect_storage", Kind.BOOL),
      "bring_own_registry", Kind.BOOL, "local_registry", CREDENTIALS, "tls", TLS,
      "spiffe", schema("enabled", Kind.BOOL, "endpoint_socket", Kind.STRING,
          "expected_server_id", Kind.STRING),
      "encrypt_config", Kind.BOOL,
      "registry_fallback", schema("enabled", Kind.BOOL, "registries", Kind.STRINGS,
          "runtimes", Kind.STRINGS),
      "harbor_registry_url", Kind.STRING,
      "direct_delivery", schema("enabled", Kind.BOOL, "image_dir", Kind.STRING),
      "audit", AUDIT);
  static final Map<String, Object> CONFIG = schema(
      "state_config", schema("auth", CREDENTIALS, "state", Kind.STRING),
      "app_config", APP_CONFIG, "zot_config", Kind.RAW);

  private final StatePublisher publisher;
  private final Map<String, ObjectNode> configs = new HashMap<>();

  GroundControlConfigs(StatePublisher publisher) {
    this.publisher = publisher;
  }

  /** Answers a request under {@code /api/configs}. */
  synchronized MockResponse dispatch(RecordedRequest request, String path) {
    JsonNode body;
    try {
      body = JSON.readTree(request.getBody().utf8());
    } catch (IOException e) {
      return answer(400, "Invalid request body");
    }
    if (request.getMethod().equals("POST") && path.equals("/api/configs")) {
      if (body == null || !body.isObject() || !body.path("config_name").isTextual()) {
        return answer(400, "invalid or empty config_name");
      }
      String name = body.get("config_name").textValue();
      if (configs.containsKey(name)) {
        return answer(409, "error: config already exists");
      }
      ObjectNode decoded;
      try {
        decoded = remarshal(body.path("config"), CONFIG);
      } catch (IllegalArgumentException e) {
        return answer(400, "Invalid request body");
      }
      configs.put(name, decoded);
      publisher.publishConfig(name, bytes(decoded));
      return new MockResponse.Builder().code(201).build();
    }
    if (request.getMethod().equals("PATCH") && path.startsWith("/api/configs/")) {
      String name = path.substring("/api/configs/".length());
      ObjectNode existing = configs.get(name);
      if (existing == null) {
        return answer(404, "error: config not found");
      }
      ObjectNode patch;
      try {
        patch = remarshal(body, CONFIG);
      } catch (IllegalArgumentException e) {
        return answer(400, "Invalid request body");
      }
      mergePatch(existing, patch);
      publisher.publishConfig(name, bytes(existing));
      return new MockResponse.Builder().code(200).build();
    }
    return answer(404, "not found");
  }

  /** The config as Ground Control keeps it (for tests to look at). */
  synchronized JsonNode config(String name) {
    return configs.get(name).deepCopy();
  }

  /**
   * {@code value} decoded into the Go struct {@code schema} describes and marshalled again.
   *
   * @throws IllegalArgumentException for a value of a type the Go field cannot take
   */
  static ObjectNode remarshal(JsonNode value, Map<String, Object> schema) {
    if (value != null && !value.isNull() && !value.isObject()) {
      throw new IllegalArgumentException("not an object: " + value);
    }
    ObjectNode out = JSON.createObjectNode();
    for (Map.Entry<String, Object> field : schema.entrySet()) {
      JsonNode given = value == null ? null : value.get(field.getKey());
      if (field.getValue() instanceof Map<?, ?> nested) {
        @SuppressWarnings("unchecked")
        Map<String, Object> struct = (Map<String, Object>) nested;
        out.set(field.getKey(), remarshal(given, struct)); // a struct is never omitted
        continue;
      }
      if (given == null || given.isNull()) {
        continue; // zero value: omitted
      }
      switch ((Kind) field.getValue()) {
        case STRING -> {
          require(given.isTextual(), given);
          if (!given.textValue().isEmpty()) {
            out.set(field.getKey(), given);
          }
        }
        case BOOL -> {
          require(given.isBoolean(), given);
          if (given.booleanValue()) {
            out.set(field.getKey(), given);
          }
        }
        case BOOL_POINTER -> {
          require(given.isBoolean(), given);
          out.set(field.getKey(), given);
        }
        case INT_POINTER -> {
          require(given.canConvertToExactIntegral(), given);
          out.put(field.getKey(), given.longValue());
        }
        case STRINGS -> {
          require(given.isArray(), given);
          given.forEach(element -> require(element.isTextual(), element));
          if (!given.isEmpty()) {
            out.set(field.getKey(), given);
          }
        }
        case RAW -> out.set(field.getKey(), given);
        default -> throw new IllegalStateException();
      }
    }
    return out;
  }

  private static void require(boolean fits, JsonNode value) {
    if (!fits) {
      throw new IllegalArgumentException("json: cannot unmarshal " + value.getNodeType());
    }
  }

  /** RFC 7386, as {@code jsonpatch.MergePatch} applies it. */
  private static void mergePatch(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode existing = target.get(field.getKey());
      if (field.getValue().isNull()) {
        target.remove(field.getKey());
      } else if (field.getValue().isObject() && existing != null && existing.isObject()) {
        mergePatch((ObjectNode) existing, (ObjectNode) field.getValue());
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  private static Map<String, Object> schema(Object... pairs) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put((String) pairs[i], pairs[i + 1]);
    }
    return fields;
  }

  private static byte[] bytes(JsonNode json) {
    try {
      return JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MockResponse answer(int code, String message) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
        .body(JSON.createObjectNode().put("message", message).put("code", code).toString())
        .build();
  }
}
