package dev.satellite.agent.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.RuntimeMirrorException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * k3s's and RKE2's mirror configuration, {@code /etc/rancher/k3s/registries.yaml} and {@code
 * /etc/rancher/rke2/registries.yaml}, which they turn into their embedded containerd's
 * configuration at start-up:
 *
 * <pre>
 * mirrors:
 *   docker.io:
 *     endpoint:
 *       - https://edge.example:8443      # ours, first: tried before the others
 *       - https://mirror.example.com     # kept, in its order
 * configs:
 *   edge.example:8443:                   # only when the edge's TLS or credentials are given
 *     tls:
 *       ca_file: /etc/satellite/ca.pem
 *       cert_file: /etc/satellite/client.pem
 *       key_file: /etc/satellite/client-key.pem
 *       insecure_skip_verify: false
 *     auth:
 *       username: robot
 *       password: ...
 * </pre>
 *
 * <p>containerd always tries the registry's own default endpoint last, so the upstream stays the
 * fallback. Every other key (a mirror's {@code rewrite}, other registries, other {@code configs}
 * entries, the {@code auth} token fields) stays as it is. A file holding any password or token is
 * shown with it masked and is readable by its owner only.
 */
public final class RegistriesYamlMirrors {
  static final Map<ContainerRuntime, String> FILES = Map.of(
      ContainerRuntime.K3S, "etc/rancher/k3s/registries.yaml",
      ContainerRuntime.RKE2, "etc/rancher/rke2/registries.yaml");
  private static final String MIRRORS = "mirrors";
  private static final String ENDPOINT = "endpoint";
  private static final String CONFIGS = "configs";
  private static final List<String> AUTH_SECRETS = List.of("password", "auth", "identitytoken");

  private RegistriesYamlMirrors() {}

  /** Adds {@code runtime}'s {@code registries.yaml} for {@code registries} to {@code plan}. */
  public static void plan(Path root, ContainerRuntime runtime, EdgeRegistry edge,
      EdgeAccess access, List<String> registries, MirrorPlan plan) {
    Path file = root.resolve(FILES.get(runtime));
    try {
      byte[] before = MirrorPlan.read(file);
      PlannedFile planned = planFile(file, runtime, edge, access, registries, before);
      if (!planned.unchanged() && YamlFiles.hasCommentLine(before)) {
        plan.note(runtime + ": " + file + " is rewritten without its comments (the previous"
            + " version is kept as " + ConfigFileWriter.backupOf(file).getFileName() + ")");
      }
      plan.add(planned);
    } catch (RuntimeMirrorException e) {
      plan.fail(file, e.getMessage() + "; left untouched");
    }
  }

  private static PlannedFile planFile(Path file, ContainerRuntime runtime, EdgeRegistry edge,
      EdgeAccess access, List<String> registries, byte[] before) {
    ObjectNode existing = before == null ? YamlFiles.newMapping() : YamlFiles.parse(file, before);
    ObjectNode merged = existing.deepCopy();
    ObjectNode mirrors = mapping(file, merged, MIRRORS, MIRRORS);
    for (String registry : registries) {
      String where = MIRRORS + "." + registry;
      ObjectNode mirror = mapping(file, mirrors, registry, where);
      ArrayNode endpoints = merged.arrayNode().add(edge.url());
      for (JsonNode endpoint : strings(file, mirror, ENDPOINT, where + "." + ENDPOINT)) {
        if (!edge.isUrl(endpoint.asText())) {
          endpoints.add(endpoint);
        }
      }
      mirror.set(ENDPOINT, endpoints);
    }
    if (access.hasTls() || access.hasCredentials()) {
      String where = CONFIGS + "." + edge.hostPort();
      ObjectNode config = mapping(file, mapping(file, merged, CONFIGS, CONFIGS), edge.hostPort(),
          where);
      if (access.hasTls()) {
        ObjectNode tls = mapping(file, config, "tls", where + ".tls");
        access.caFile().ifPresent(path -> tls.put("ca_file", path));
        access.certFile().ifPresent(path -> tls.put("cert_file", path));
        access.keyFile().ifPresent(path -> tls.put("key_file", path));
        tls.put("insecure_skip_verify", access.insecureSkipVerify());
      }
      if (access.hasCredentials()) {
        ObjectNode auth = mapping(file, config, "auth", where + ".auth");
        auth.put("username", access.username().get());
        auth.put("password", access.password().get());
      }
    }
    MirrorPlan.requireOnlyOursChanged(file, existing, merged,
        tree -> withoutOurs(tree, edge, access, registries));
    byte[] after = before != null && existing.equals(merged) ? before : YamlFiles.write(merged);
    return new PlannedFile(file, List.of(runtime), before, after, written -> {
      if (!YamlFiles.parse(file, written).equals(merged)) {
        throw new RuntimeMirrorException(file + ": read back, it holds other settings than merged");
      }
    }, true, holdsSecrets(merged) ? content -> masked(file, content)
        : PlannedFile.Secrets.NONE);
  }

  /** The mapping under {@code key}, created when absent or null. */
  private static ObjectNode mapping(Path file, ObjectNode parent, String key, String where) {
    JsonNode value = parent.get(key);
    if (value == null || value.isNull()) {
      return parent.putObject(key);
    }
    if (!(value instanceof ObjectNode mapping)) {
      throw new RuntimeMirrorException(file + ": " + where + " is not a mapping");
    }
    return mapping;
  }

  private static ArrayNode strings(Path file, ObjectNode parent, String key, String where) {
    JsonNode value = parent.get(key);
    if (value == null || value.isNull()) {
      return parent.arrayNode();
    }
    if (!(value instanceof ArrayNode list)) {
      throw new RuntimeMirrorException(file + ": " + where + " is not a list");
    }
    for (JsonNode element : list) {
      if (!element.isTextual()) {
        throw new RuntimeMirrorException(file + ": " + where + " holds " + element
            + ", not a URL string");
      }
    }
    return list;
  }

  /**
   * The tree without the edge's endpoints and the {@code configs} keys this writes, and without
   * the mappings and lists that leaves empty.
   */
  private static ObjectNode withoutOurs(ObjectNode tree, EdgeRegistry edge, EdgeAccess access,
      List<String> registries) {
    ObjectNode copy = tree.deepCopy();
    if (copy.get(MIRRORS) instanceof ObjectNode mirrors) {
      for (String registry : registries) {
        if (mirrors.get(registry) instanceof ObjectNode mirror
            && mirror.get(ENDPOINT) instanceof ArrayNode endpoints) {
          for (int i = endpoints.size() - 1; i >= 0; i--) {
            if (edge.isUrl(endpoints.get(i).asText())) {
              endpoints.remove(i);
            }
          }
        }
      }
    }
    if (copy.get(CONFIGS) instanceof ObjectNode configs
        && configs.get(edge.hostPort()) instanceof ObjectNode config) {
      if (access.hasTls() && config.get("tls") instanceof ObjectNode tls) {
        tls.remove(List.of("ca_file", "cert_file", "key_file", "insecure_skip_verify"));
      }
      if (access.hasCredentials() && config.get("auth") instanceof ObjectNode auth) {
        auth.remove(List.of("username", "password"));
      }
    }
    pruneEmpty(copy);
    return copy;
  }

  /** Removes null values and the mappings and lists that are (or become) empty, depth first. */
  private static void pruneEmpty(JsonNode node) {
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      JsonNode child = it.next();
      pruneEmpty(child);
      if (child.isNull() || child.isContainerNode() && child.isEmpty()) {
        it.remove();
      }
    }
  }

  private static boolean holdsSecrets(ObjectNode tree) {
    if (tree.get(CONFIGS) instanceof ObjectNode configs) {
      for (JsonNode config : configs) {
        if (config.get("auth") instanceof ObjectNode auth
            && AUTH_SECRETS.stream().anyMatch(auth::has)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The file's text with every password and token under {@code configs.*.auth} masked. */
  private static String masked(Path file, byte[] content) {
    ObjectNode tree = YamlFiles.parse(file, content);
    if (tree.get(CONFIGS) instanceof ObjectNode configs) {
      for (JsonNode config : configs) {
        if (config.get("auth") instanceof ObjectNode auth) {
          AUTH_SECRETS.stream().filter(auth::has).forEach(key -> auth.put(key, "<redacted>"));
        }
      }
    }
    return new String(YamlFiles.write(tree), StandardCharsets.UTF_8);
  }

}
