package dev.satellite.agent.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.agent.internal.Json;
import dev.satellite.agent.runtime.internal.EdgeRegistry;
import dev.satellite.agent.runtime.internal.RegistryNames;
import dev.satellite.core.ConfigHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the config state's {@code registry_fallback} section to the node's container runtimes,
 * as Harbor Satellite does when Ground Control switches a node over:
 *
 * <pre>{@code
 * {"registry_fallback": {"enabled": true,
 *                        "registries": ["docker.io", "quay.io"],
 *                        "runtimes": ["containerd", "docker"]}}
 * }</pre>
 *
 * <p>The section is looked for at the top level and under {@code app_config}. Runtimes left out
 * (or {@code "auto"}) mean every runtime found under the runtime root; Docker is given {@code
 * docker.io} only. {@code "enabled": false}, or no section, changes nothing (files written before
 * stay). A config that is not JSON is not this handler's business and is ignored.
 *
 * <p>When a file could not be changed, or the section is malformed, {@link #configChanged} throws:
 * the sync reports the error and, since the config digest is then not checkpointed, the section
 * is applied again next pass. Reload commands are logged, never run.
 */
public final class RegistryFallback implements ConfigHandler {
  private static final Logger log = LoggerFactory.getLogger(RegistryFallback.class);

  private final String edgeUrl;
  private final Path runtimeRoot;

  /**
   * @param edgeUrl the edge registry the runtimes pull from
   * @param runtimeRoot the directory every runtime path is taken under ({@code /} on a node)
   * @throws IllegalArgumentException when {@code edgeUrl} cannot be a runtime mirror
   */
  public RegistryFallback(String edgeUrl, Path runtimeRoot) {
    EdgeRegistry.parse(edgeUrl);
    this.edgeUrl = edgeUrl;
    this.runtimeRoot = Objects.requireNonNull(runtimeRoot, "runtimeRoot");
  }

  @Override
  public void configChanged(String digest, byte[] config) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(config);
    } catch (JsonProcessingException e) {
      log.debug("config state {} is not JSON: no registry_fallback", digest);
      return;
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array", e);
    }
    JsonNode section = root == null ? null : root.path("registry_fallback");
    if (section == null || section.isMissingNode()) {
      section = root == null ? null : root.path("app_config").path("registry_fallback");
    }
    if (section == null || section.isMissingNode() || section.isNull()) {
      return;
    }
    String where = "config state " + digest + ": registry_fallback";
    if (!section.isObject()) {
      throw new RuntimeMirrorException(where + " is not an object");
    }
    if (!section.path("enabled").asBoolean(false)) {
      log.info("{} is disabled: runtime mirror configuration left as it is", where);
      return;
    }
    MirrorReport report = apply(where, strings(where, section, "registries"),
        strings(where, section, "runtimes"));
    report.changes().forEach(change -> log.info("runtime mirrors: changed {}", change.path()));
    report.notes().forEach(note -> log.info("runtime mirrors: {}", note));
    report.reloadCommands().forEach(command ->
        log.warn("runtime mirrors changed: run `{}` to apply them", command));
    if (!report.ok()) {
      throw new RuntimeMirrorException(where + ": " + String.join("; ", report.failures().stream()
          .map(FileFailure::reason).toList()));
    }
  }

  private MirrorReport apply(String where, List<String> registries, List<String> runtimes) {
    if (registries.isEmpty()) {
      throw new RuntimeMirrorException(where + " names no registries");
    }
    RuntimeMirrors.Builder builder =
        RuntimeMirrors.builder().edge(edgeUrl).runtimeRoot(runtimeRoot);
    try {
      if (runtimes.isEmpty() || runtimes.stream().anyMatch(r -> r.equalsIgnoreCase("auto"))) {
        builder.mirrorDetected(registries);
      }
      for (String id : runtimes) {
        if (id.equalsIgnoreCase("auto")) {
          continue;
        }
        ContainerRuntime runtime = ContainerRuntime.of(id);
        List<String> wanted = new ArrayList<>(registries);
        if (runtime == ContainerRuntime.DOCKER) {
          wanted.removeIf(r -> !RegistryNames.require(r).equals(RegistryNames.DOCKER_HUB));
          if (wanted.isEmpty()) {
            log.info("{}: docker mirrors docker.io only, none named", where);
            continue;
          }
        }
        builder.mirror(runtime, wanted);
      }
      return builder.build().apply();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new RuntimeMirrorException(where + ": " + e.getMessage(), e);
    }
  }

  private static List<String> strings(String where, JsonNode section, String key) {
    JsonNode value = section.path(key);
    if (value.isMissingNode() || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new RuntimeMirrorException(where + "." + key + " is not an array of strings");
    }
    List<String> strings = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw new RuntimeMirrorException(where + "." + key + " holds " + element
            + ", not a string");
      }
      strings.add(element.asText());
    }
    return strings;
  }
}
