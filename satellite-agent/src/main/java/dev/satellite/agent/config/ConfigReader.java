package dev.satellite.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.agent.config.SatelliteConfig.LocalRegistry;
import dev.satellite.agent.config.SatelliteConfig.Metrics;
import dev.satellite.agent.config.SatelliteConfig.RegistryFallback;
import dev.satellite.agent.config.SatelliteConfig.Tls;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.registry.SyncWindow;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads {@code app_config} field by field: a missing (or {@code null}) field takes its default, a
 * field of the wrong type or with an invalid value keeps the previous value and is reported.
 */
final class ConfigReader {
  private final List<String> problems = new ArrayList<>();

  private ConfigReader() {}

  static SatelliteConfig.Reading read(byte[] json, SatelliteConfig previous) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return keep(previous, "the config state is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return keep(previous, "the config state cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return keep(previous, "the config state must be a JSON object");
    }
    JsonNode app = root.get("app_config");
    if (app != null && !app.isNull() && !app.isObject()) {
      return keep(previous, "app_config must be a JSON object");
    }
    ConfigReader reader = new ConfigReader();
    if (root.has("registry_fallback")) {
      reader.problems.add("registry_fallback at the top level is not read: the config state has"
          + " it under app_config");
    }
    SatelliteConfig config = reader.appConfig(app == null ? Json.MAPPER.createObjectNode() : app,
        previous, SatelliteConfig.defaults());
    return new SatelliteConfig.Reading(config, reader.problems);
  }

  private static SatelliteConfig.Reading keep(SatelliteConfig previous, String problem) {
    return new SatelliteConfig.Reading(previous, List.of(problem + "; the previous config stays"));
  }

  private SatelliteConfig appConfig(JsonNode app, SatelliteConfig old, SatelliteConfig dflt) {
    JsonNode metrics = object(app, "metrics");
    JsonNode local = object(app, "local_registry");
    JsonNode tls = object(app, "tls");
    JsonNode fallback = object(app, "registry_fallback");
    Optional<String> localUrl = optionalText(local, "local_registry.url",
        old.localRegistry().map(LocalRegistry::url)).filter(url -> !url.isBlank());
    return SatelliteConfig.builder(old)
        .groundControlUrl(optionalText(app, "ground_control_url", old.groundControlUrl()))
        .logLevel(optionalText(app, "log_level", old.logLevel()).map(ConfigReader::logLevel))
        .useUnsecure(bool(app, "use_unsecure", old.useUnsecure()))
        .stateReplicationInterval(interval(app, "state_replication_interval",
            old.stateReplicationInterval(), dflt.stateReplicationInterval()))
        .registerSatelliteInterval(interval(app, "register_satellite_interval",
            old.registerSatelliteInterval(), dflt.registerSatelliteInterval()))
        .heartbeatInterval(interval(app, "heartbeat_interval", old.heartbeatInterval(),
            dflt.heartbeatInterval()))
        .metrics(new Metrics(
            bool(metrics, "metrics.collect_cpu", old.metrics().collectCpu()),
            bool(metrics, "metrics.collect_memory", old.metrics().collectMemory()),
            bool(metrics, "metrics.collect_storage", old.metrics().collectStorage())))
        .bringOwnRegistry(bool(app, "bring_own_registry", old.bringOwnRegistry()))
        .localRegistry(localUrl.map(url -> new LocalRegistry(url,
            optionalText(local, "local_registry.username",
                old.localRegistry().map(LocalRegistry::username)).orElse(""),
            optionalText(local, "local_registry.password",
                old.localRegistry().map(LocalRegistry::password)).orElse(""))))
        .tls(new Tls(
            optionalText(tls, "tls.cert_file", old.tls().certFile()),
            optionalText(tls, "tls.key_file", old.tls().keyFile()),
            optionalText(tls, "tls.ca_file", old.tls().caFile()),
            bool(tls, "tls.skip_verify", old.tls().skipVerify())))
        .registryFallback(new RegistryFallback(
            bool(fallback, "registry_fallback.enabled", old.registryFallback().enabled()),
            strings(fallback, "registry_fallback.registries",
                old.registryFallback().registries()),
            strings(fallback, "registry_fallback.runtimes", old.registryFallback().runtimes())))
        .harborRegistryUrl(optionalText(app, "harbor_registry_url", old.harborRegistryUrl()))
        .link(new SatelliteConfig.Link(
            positive(app, "max_bandwidth", old.link().maxBandwidth()),
            field(app, "sync_windows", old.link().syncWindows(), List.of(),
                "an array of \"HH:MM-HH:MM\" strings", ConfigReader::windows),
            field(app, "sync_window_zone", old.link().syncWindowZone(), Optional.empty(),
                "a time zone such as \"Europe/Berlin\"",
                v -> v.isTextual() ? Optional.of(zone(v.textValue())) : null),
            positive(app, "max_bytes_per_pass", old.link().maxBytesPerPass())))
        .build();
  }

  /**
   * The Go satellite's levels (zerolog's) read as the nearest one SLF4J has: {@code fatal} and
   * {@code panic} are above {@code error}, which is SLF4J's highest. Others stay as written.
   */
  private static String logLevel(String level) {
    String lower = level.strip().toLowerCase(java.util.Locale.ROOT);
    return lower.equals("fatal") || lower.equals("panic") ? "error" : level;
  }

  /** A whole number of bytes, at least 1. */
  private OptionalLong positive(JsonNode parent, String path, OptionalLong old) {
    return field(parent, path, old, OptionalLong.empty(), "a whole number of bytes, at least 1",
        v -> v.canConvertToExactIntegral() && v.canConvertToLong() && v.longValue() >= 1
            ? OptionalLong.of(v.longValue()) : null);
  }

  private static List<SyncWindow> windows(JsonNode value) {
    if (!value.isArray()) {
      return null;
    }
    List<SyncWindow> windows = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        return null;
      }
      windows.add(SyncWindow.parse(element.textValue()));
    }
    return windows;
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("not a time zone (e.g. Europe/Berlin, UTC, +02:00)", e);
    }
  }

  /** The object at {@code name} (a dotted path's last part), or an empty one. */
  private JsonNode object(JsonNode parent, String name) {
    JsonNode value = parent.get(name);
    if (value == null || value.isNull()) {
      return Json.MAPPER.createObjectNode();
    }
    if (!value.isObject()) {
      problem(name, value, "must be a JSON object");
      return Json.MAPPER.createObjectNode();
    }
    return value;
  }

  private <T> T field(JsonNode parent, String path, T old, T absent, String expected,
      Function<JsonNode, T> convert) {
    JsonNode value = parent.get(path.substring(path.lastIndexOf('.') + 1));
    if (value == null || value.isNull()) {
      return absent;
    }
    try {
      T converted = convert.apply(value);
      if (converted == null) {
        problem(path, value, "must be " + expected);
        return old;
      }
      return converted;
    } catch (IllegalArgumentException e) {
      problem(path, value, e.getMessage());
      return old;
    }
  }

  private boolean bool(JsonNode parent, String path, boolean old) {
    return field(parent, path, old, false, "true or false",
        v -> v.isBoolean() ? v.booleanValue() : null);
  }

  private Optional<String> optionalText(JsonNode parent, String path, Optional<String> old) {
    return field(parent, path, old, Optional.empty(), "a string",
        v -> v.isTextual() ? Optional.of(v.textValue()).filter(s -> !s.isBlank()) : null);
  }

  private Duration interval(JsonNode parent, String path, Duration old, Duration dflt) {
    return field(parent, path, old, dflt, "a string such as \"@every 00h00m30s\"",
        v -> !v.isTextual() ? null
            : v.textValue().isBlank() ? dflt : EveryInterval.parse(v.textValue()));
  }

  private List<String> strings(JsonNode parent, String path, List<String> old) {
    return field(parent, path, old, List.of(), "an array of strings", v -> {
      if (!v.isArray()) {
        return null;
      }
      List<String> out = new ArrayList<>();
      for (JsonNode element : v) {
        if (!element.isTextual()) {
          return null;
        }
        out.add(element.textValue());
      }
      return out;
    });
  }

  private void problem(String path, JsonNode value, String why) {
    String shown = value.toString();
    if (path.endsWith("password")) {
      shown = "(hidden)";
    } else if (shown.length() > 80) {
      shown = shown.substring(0, 80) + "...";
    }
    problems.add("app_config." + path + " = " + shown + ": " + why + "; the previous value stays");
  }
}
