package dev.satellite.agent.runtime.internal;

import com.electronwill.nightconfig.core.CommentedConfig;
import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.RuntimeMirrorException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * containerd's mirror configuration (containerd 1.5 and later):
 *
 * <ul>
 *   <li>{@code <certs dir>/<registry>/hosts.toml} per upstream registry: {@code server} is the
 *       upstream (Docker Hub's is {@code https://registry-1.docker.io}), and a {@code
 *       [host."<edge url>"]} table with {@code capabilities = ["pull", "resolve"]} comes first, so
 *       containerd asks the edge before any other host and falls back to the server. Hosts and
 *       keys another tool put there stay, in their order, after ours.
 *   <li>{@code config_path} in {@code /etc/containerd/config.toml}, which points containerd at the
 *       certs directory: under {@code [plugins."io.containerd.grpc.v1.cri".registry]} for a
 *       {@code version = 2} file (containerd 1.x), under {@code
 *       [plugins."io.containerd.cri.v1.images".registry]} for {@code version = 3} (containerd 2.x).
 *       An existing non-empty {@code config_path} is kept and its first directory used; an absent
 *       or empty one becomes {@code /etc/containerd/certs.d} (1.x) or 2.x's own default {@code
 *       /etc/containerd/certs.d:/etc/docker/certs.d}. A missing {@code config.toml} is created
 *       ({@code version = 2}, which 2.x reads too). Only the {@code config_path} line is
 *       changed or added where the file's layout allows it ({@link TomlKeyEdit}), so comments and
 *       formatting stay; otherwise the merged tree is written whole.
 * </ul>
 *
 * <p>containerd refuses {@code config_path} next to the deprecated {@code registry.mirrors} or
 * {@code registry.configs.*.tls}; such a file is reported and left untouched.
 */
public final class ContainerdMirrors {
  static final String CONFIG = "etc/containerd/config.toml";
  static final String DEFAULT_CERTS_DIR = "/etc/containerd/certs.d";
  static final String V2_DEFAULT_CONFIG_PATH = "/etc/containerd/certs.d:/etc/docker/certs.d";
  private static final List<String> CAPABILITIES = List.of("pull", "resolve");

  private ContainerdMirrors() {}

  /** Adds containerd's files for {@code registries} to {@code plan}. */
  public static void plan(Path root, EdgeRegistry edge, List<String> registries, MirrorPlan plan) {
    Path configFile = root.resolve(CONFIG);
    String certsDir;
    try {
      certsDir = planConfig(configFile, plan);
    } catch (RuntimeMirrorException e) {
      plan.fail(configFile, e.getMessage() + "; left untouched, no hosts.toml written");
      return;
    }
    for (String registry : registries) {
      Path hostsFile = root.resolve(certsDir.substring(1)).resolve(registry).resolve("hosts.toml");
      try {
        plan.add(planHosts(hostsFile, registry, edge));
      } catch (RuntimeMirrorException e) {
        plan.fail(hostsFile, e.getMessage() + "; left untouched");
      }
    }
  }

  /** Plans {@code config.toml}; returns the certs directory containerd reads (absolute). */
  private static String planConfig(Path file, MirrorPlan plan) {
    byte[] before = MirrorPlan.read(file);
    CommentedConfig config = before == null ? TomlFiles.newTable() : TomlFiles.parse(file, before);
    if (before == null) {
      config.set(List.of("version"), 2);
    }
    List<String> registryTable = registryTable(file, config.get(List.of("version")));
    refuseLegacyMirrors(file, config, registryTable);
    List<String> configPathKey = with(registryTable, "config_path");
    Object configPath = config.get(configPathKey);
    if (configPath != null && !(configPath instanceof String)) {
      throw new RuntimeMirrorException(file + ": " + TomlFiles.dotted(configPathKey)
          + " is not a string");
    }
    if (configPath != null && !((String) configPath).isBlank()) {
      String first = ((String) configPath).split(":")[0].trim();
      if (!first.startsWith("/")) {
        throw new RuntimeMirrorException(file + ": " + TomlFiles.dotted(configPathKey) + " = \""
            + configPath + "\" does not start with an absolute directory");
      }
      plan.add(new PlannedFile(file, List.of(ContainerRuntime.CONTAINERD), before, before,
          written -> {}, true));
      return first;
    }
    Map<String, Object> baseline = TomlFiles.values(config);
    boolean version2 = Integer.valueOf(2).equals(number(config.get(List.of("version"))));
    String value = version2 ? DEFAULT_CERTS_DIR : V2_DEFAULT_CONFIG_PATH;
    TomlFiles.table(file, config, registryTable).set(List.of("config_path"), value);
    Map<String, Object> merged = TomlFiles.values(config);
    MirrorPlan.requireOnlyOursChanged(file, baseline, merged,
        tree -> withoutKey(tree, configPathKey));
    byte[] after = before == null ? TomlFiles.write(config)
        : TomlKeyEdit.set(file, new String(before, StandardCharsets.UTF_8), registryTable,
            "config_path", value, merged).orElseGet(() -> TomlFiles.write(config));
    plan.add(new PlannedFile(file, List.of(ContainerRuntime.CONTAINERD), before, after,
        written -> requireValues(file, written, merged), true));
    return DEFAULT_CERTS_DIR;
  }

  private static List<String> registryTable(Path file, Object version) {
    Integer number = number(version);
    if (number == null) {
      throw new RuntimeMirrorException(file + ": has no top-level version (the version 1 format of"
          + " containerd 1.0-1.4); migrate it with `containerd config migrate`");
    }
    return switch (number) {
      case 2 -> List.of("plugins", "io.containerd.grpc.v1.cri", "registry");
      case 3 -> List.of("plugins", "io.containerd.cri.v1.images", "registry");
      default -> throw new RuntimeMirrorException(file + ": version = " + version
          + " is not a containerd config format this writes (2: containerd 1.x, 3: 2.x)");
    };
  }

  private static Integer number(Object value) {
    return value instanceof Number n && n.longValue() == n.intValue() ? n.intValue() : null;
  }

  private static void refuseLegacyMirrors(Path file, CommentedConfig config, List<String> table) {
    Object mirrors = config.get(with(table, "mirrors"));
    if (mirrors instanceof CommentedConfig m && !m.isEmpty()) {
      throw new RuntimeMirrorException(file + ": " + TomlFiles.dotted(with(table, "mirrors"))
          + " is set, and containerd refuses config_path next to it; move those mirrors into"
          + " hosts.toml files first");
    }
    Object configs = config.get(with(table, "configs"));
    if (configs instanceof CommentedConfig c) {
      for (CommentedConfig.Entry entry : c.entrySet()) {
        if (entry.getValue() instanceof CommentedConfig host && host.contains(List.of("tls"))) {
          throw new RuntimeMirrorException(file + ": " + TomlFiles.dotted(with(table, "configs"))
              + ".\"" + entry.getKey() + "\".tls is set, and containerd refuses config_path next"
              + " to it; move it into that registry's hosts.toml first");
        }
      }
    }
  }

  private static PlannedFile planHosts(Path file, String registry, EdgeRegistry edge) {
    byte[] before = MirrorPlan.read(file);
    CommentedConfig existing =
        before == null ? TomlFiles.newTable() : TomlFiles.parse(file, before);
    Object hosts = existing.get(List.of("host"));
    if (hosts != null && !(hosts instanceof CommentedConfig)) {
      throw new RuntimeMirrorException(file + ": host is not a table");
    }
    CommentedConfig merged = TomlFiles.newTable();
    boolean addsServer = !registry.equals(RegistryNames.CONTAINERD_DEFAULT)
        && !existing.contains(List.of("server"));
    if (addsServer) {
      merged.set(List.of("server"), RegistryNames.upstreamServer(registry));
    }
    CommentedConfig withoutHosts = TomlFiles.newTable();
    TomlFiles.copyEntries(existing, withoutHosts);
    withoutHosts.remove(List.of("host"));
    TomlFiles.copyEntries(withoutHosts, merged);
    CommentedConfig mergedHosts = merged.createSubConfig();
    CommentedConfig ours = hosts != null
        && ((CommentedConfig) hosts).get(List.of(edge.url())) instanceof CommentedConfig found
        ? TomlFiles.copy(found, mergedHosts) : mergedHosts.createSubConfig();
    ours.set(List.of("capabilities"), CAPABILITIES);
    mergedHosts.set(List.of(edge.url()), ours);
    if (hosts != null) {
      for (CommentedConfig.Entry entry : ((CommentedConfig) hosts).entrySet()) {
        if (!entry.getKey().equals(edge.url())) {
          Object value = entry.getValue();
          mergedHosts.set(List.of(entry.getKey()), value instanceof CommentedConfig table
              ? TomlFiles.copy(table, mergedHosts) : value);
        }
      }
    }
    merged.set(List.of("host"), mergedHosts);

    Map<String, Object> baseline = TomlFiles.values(existing);
    if (addsServer) {
      baseline.put("server", RegistryNames.upstreamServer(registry));
    }
    Map<String, Object> mergedValues = TomlFiles.values(merged);
    List<String> ourHost = List.of("host", edge.url());
    MirrorPlan.requireOnlyOursChanged(file, baseline, mergedValues,
        tree -> withoutKey(tree, ourHost));
    boolean sameOrder = hostOrder(existing).equals(hostOrder(merged));
    byte[] after = before != null && sameOrder && baseline.equals(mergedValues) && !addsServer
        ? before : TomlFiles.write(merged);
    return new PlannedFile(file, List.of(ContainerRuntime.CONTAINERD), before, after,
        written -> {
          CommentedConfig parsed = requireValues(file, written, mergedValues);
          if (!hostOrder(parsed).equals(hostOrder(merged))) {
            throw new RuntimeMirrorException(file + ": hosts read back in another order");
          }
        }, false);
  }

  /** containerd tries hosts in file order: part of what a hosts.toml means. */
  private static List<String> hostOrder(CommentedConfig hostsFile) {
    return hostsFile.get(List.of("host")) instanceof CommentedConfig hosts
        ? List.copyOf(hosts.valueMap().keySet()) : List.of();
  }

  private static CommentedConfig requireValues(Path file, byte[] written,
      Map<String, Object> expected) {
    CommentedConfig parsed = TomlFiles.parse(file, written);
    if (!TomlFiles.values(parsed).equals(expected)) {
      throw new RuntimeMirrorException(file + ": read back, it holds other settings than merged");
    }
    return parsed;
  }

  /**
   * A copy of {@code tree} without the key at {@code path}, and without the tables on the path
   * that this leaves empty.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withoutKey(Map<String, Object> tree, List<String> path) {
    Map<String, Object> copy = TomlFiles.copy(tree);
    List<Map<String, Object>> parents = new ArrayList<>();
    Map<String, Object> current = copy;
    for (String key : path.subList(0, path.size() - 1)) {
      if (!(current.get(key) instanceof Map<?, ?> next)) {
        return copy;
      }
      parents.add(current);
      current = (Map<String, Object>) next;
    }
    current.remove(path.get(path.size() - 1));
    for (int i = parents.size() - 1; i >= 0 && current.isEmpty(); i--) {
      parents.get(i).remove(path.get(i));
      current = parents.get(i);
    }
    return copy;
  }

  private static List<String> with(List<String> path, String key) {
    List<String> longer = new ArrayList<>(path);
    longer.add(key);
    return List.copyOf(longer);
  }
}
