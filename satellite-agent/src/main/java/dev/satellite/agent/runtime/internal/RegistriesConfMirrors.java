package dev.satellite.agent.runtime.internal;

import com.electronwill.nightconfig.core.CommentedConfig;
import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.RuntimeMirrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CRI-O's and Podman's mirror configuration (containers-registries.conf(5), version 2 format),
 * written as the drop-in {@code /etc/containers/registries.conf.d/99-satellite-mirrors.conf}.
 *
 * <p>Why a drop-in: the main {@code registries.conf} belongs to the distribution's package and is
 * mostly comments, which a TOML writer would not keep in place; a drop-in is ours alone, and the
 * main file is never touched. The drop-in rules (containers-registries.conf.d(5)): the main file is
 * read, then each {@code *.conf} of the directory in name order, and a {@code [[registry]]} table
 * replaces an earlier one with the same prefix as a whole. So ours starts from the table the files
 * read before it give that prefix (its location, {@code insecure}, {@code blocked}, mirrors, ...)
 * and puts the edge first among the mirrors ({@code insecure = true} for a plain-HTTP edge, which
 * for containers/image also allows unverified TLS); the upstream stays the fallback. A drop-in read
 * after ours that replaces one of our prefixes is reported as a failure, a more specific prefix
 * that bypasses the mirror as a note. Registries from earlier runs stay in the drop-in.
 */
public final class RegistriesConfMirrors {
  static final String MAIN = "etc/containers/registries.conf";
  static final String DROP_IN_DIR = "etc/containers/registries.conf.d";
  static final String DROP_IN = "99-satellite-mirrors.conf";

  private RegistriesConfMirrors() {}

  /** Adds the drop-in for {@code registries} to {@code plan}. */
  public static void plan(Path root, EdgeRegistry edge, List<String> registries,
      List<ContainerRuntime> runtimes, MirrorPlan plan) {
    Path dir = root.resolve(DROP_IN_DIR);
    Path file = dir.resolve(DROP_IN);
    try {
      Map<Path, List<CommentedConfig>> earlier = new LinkedHashMap<>();
      Map<Path, List<CommentedConfig>> later = new LinkedHashMap<>();
      Path main = root.resolve(MAIN);
      if (Files.isRegularFile(main)) {
        earlier.put(main, entries(main));
      }
      for (Path dropIn : dropIns(dir)) {
        int order = dropIn.getFileName().toString().compareTo(DROP_IN);
        if (order != 0) {
          (order < 0 ? earlier : later).put(dropIn, entries(dropIn));
        }
      }
      Map<String, CommentedConfig> inherited = new LinkedHashMap<>();
      earlier.values().forEach(
          list -> list.forEach(entry -> inherited.put(prefixOf(entry), entry)));
      PlannedFile dropIn = planDropIn(file, edge, registries, runtimes, inherited);
      plan.add(dropIn);
      later.forEach((source, entries) -> entries.stream().map(RegistriesConfMirrors::prefixOf)
          .filter(registries::contains)
          .forEach(prefix -> plan.fail(source, source + ": is read after " + DROP_IN
              + " and replaces its [[registry]] for " + prefix + ", so pulls of " + prefix
              + " will not use the edge mirror; remove that table or merge it by hand")));
      Map<Path, List<CommentedConfig>> others = new LinkedHashMap<>(earlier);
      others.putAll(later);
      noteMoreSpecificPrefixes(others, edge, registries, plan);
    } catch (RuntimeMirrorException e) {
      plan.fail(file, e.getMessage() + "; " + DROP_IN + " left untouched");
    }
  }

  private static PlannedFile planDropIn(Path file, EdgeRegistry edge, List<String> registries,
      List<ContainerRuntime> runtimes, Map<String, CommentedConfig> inherited) {
    byte[] before = MirrorPlan.read(file);
    CommentedConfig existing =
        before == null ? TomlFiles.newTable() : TomlFiles.parse(file, before);
    List<CommentedConfig> existingEntries = entries(file, existing);

    CommentedConfig merged = TomlFiles.newTable();
    CommentedConfig others = TomlFiles.newTable();
    TomlFiles.copyEntries(existing, others);
    others.remove(List.of("registry"));
    TomlFiles.copyEntries(others, merged);
    CommentedConfig baseline = TomlFiles.newTable();
    TomlFiles.copyEntries(others, baseline);

    List<CommentedConfig> mergedEntries = new ArrayList<>();
    List<CommentedConfig> baselineEntries = new ArrayList<>();
    List<String> done = new ArrayList<>();
    for (CommentedConfig entry : existingEntries) {
      String prefix = prefixOf(entry);
      baselineEntries.add(TomlFiles.copy(entry, baseline));
      mergedEntries.add(registries.contains(prefix)
          ? withEdgeMirror(merged, entry, prefix, edge) : TomlFiles.copy(entry, merged));
      done.add(prefix);
    }
    for (String registry : registries) {
      if (done.contains(registry)) {
        continue;
      }
      CommentedConfig base = inherited.containsKey(registry)
          ? TomlFiles.copy(inherited.get(registry), baseline) : baseline.createSubConfig();
      if (!base.contains(List.of("location")) && !base.contains(List.of("prefix"))) {
        base.set(List.of("location"), registry);
      }
      baselineEntries.add(withPrefix(baseline, base, registry));
      mergedEntries.add(withEdgeMirror(merged, base, registry, edge));
    }
    merged.set(List.of("registry"), mergedEntries);
    baseline.set(List.of("registry"), baselineEntries);

    Map<String, Object> mergedValues = TomlFiles.values(merged);
    MirrorPlan.requireOnlyOursChanged(file, TomlFiles.values(baseline), mergedValues,
        tree -> withoutMirror(tree, edge));
    byte[] after = before != null && TomlFiles.values(existing).equals(mergedValues)
        ? before : TomlFiles.write(merged);
    return new PlannedFile(file, runtimes, before, after, written -> {
      if (!TomlFiles.values(TomlFiles.parse(file, written)).equals(mergedValues)) {
        throw new RuntimeMirrorException(file + ": read back, it holds other settings than merged");
      }
    }, false);
  }

  /** {@code entry} with {@code prefix} set first (a table may name only its location). */
  private static CommentedConfig withPrefix(CommentedConfig parent, CommentedConfig entry,
      String prefix) {
    CommentedConfig copy = parent.createSubConfig();
    if (!entry.contains(List.of("prefix"))) {
      copy.set(List.of("prefix"), prefix);
    }
    TomlFiles.copyEntries(entry, copy);
    return copy;
  }

  /** {@code entry} with the edge as its first mirror (an older edge mirror entry replaced). */
  private static CommentedConfig withEdgeMirror(CommentedConfig parent, CommentedConfig entry,
      String prefix, EdgeRegistry edge) {
    CommentedConfig copy = withPrefix(parent, entry, prefix);
    List<Object> mirrors = new ArrayList<>();
    CommentedConfig ours = copy.createSubConfig();
    ours.set(List.of("location"), edge.hostPort());
    if (edge.plainHttp()) {
      ours.set(List.of("insecure"), true);
    }
    Object existing = copy.get(List.of("mirror"));
    if (existing instanceof List<?> list) {
      for (Object mirror : list) {
        if (isEdge(mirror, edge)) {
          TomlFiles.copyEntries((CommentedConfig) mirror, ours);
          ours.set(List.of("location"), edge.hostPort());
          if (edge.plainHttp()) {
            ours.set(List.of("insecure"), true);
          }
        }
      }
    }
    mirrors.add(ours);
    if (existing instanceof List<?> list) {
      for (Object mirror : list) {
        if (!isEdge(mirror, edge)) {
          mirrors.add(mirror);
        }
      }
    } else if (existing != null) {
      throw new RuntimeMirrorException(
          "[[registry]] " + prefix + ": mirror is not an array of tables");
    }
    copy.set(List.of("mirror"), mirrors);
    return copy;
  }

  /** The tree with the edge's mirror entries taken out (and mirror lists they leave empty). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutMirror(Map<String, Object> tree, EdgeRegistry edge) {
    Map<String, Object> copy = TomlFiles.copy(tree);
    if (copy.get("registry") instanceof List<?> entries) {
      for (Object entry : entries) {
        if (entry instanceof Map<?, ?> table && table.get("mirror") instanceof List<?> mirrors) {
          List<Object> kept = new ArrayList<>();
          for (Object mirror : mirrors) {
            if (!(mirror instanceof Map<?, ?> m && edge.hostPort().equals(m.get("location")))) {
              kept.add(mirror);
            }
          }
          if (kept.isEmpty()) {
            ((Map<String, Object>) table).remove("mirror");
          } else {
            ((Map<String, Object>) table).put("mirror", kept);
          }
        }
      }
    }
    return copy;
  }

  private static void noteMoreSpecificPrefixes(Map<Path, List<CommentedConfig>> files,
      EdgeRegistry edge, List<String> registries, MirrorPlan plan) {
    files.forEach((source, entries) -> {
      for (CommentedConfig entry : entries) {
        String prefix = prefixOf(entry);
        for (String registry : registries) {
          if (prefix.startsWith(registry + "/") && !hasMirror(entry, edge)) {
            plan.note(source + ": [[registry]] " + prefix + " is more specific than " + registry
                + " and has no edge mirror: pulls under it do not use the edge");
          }
        }
      }
    });
  }

  private static boolean hasMirror(CommentedConfig entry, EdgeRegistry edge) {
    return entry.get(List.of("mirror")) instanceof List<?> mirrors
        && mirrors.stream().anyMatch(mirror -> isEdge(mirror, edge));
  }

  /** True for a {@code [[registry.mirror]]} table whose location is the edge. */
  private static boolean isEdge(Object mirror, EdgeRegistry edge) {
    return mirror instanceof CommentedConfig table
        && edge.hostPort().equals(table.get(List.of("location")));
  }

  /** The prefix a {@code [[registry]]} table applies to: {@code prefix}, else its location. */
  private static String prefixOf(CommentedConfig entry) {
    Object prefix = entry.get(List.of("prefix"));
    Object location = entry.get(List.of("location"));
    return String.valueOf(prefix != null && !prefix.toString().isEmpty() ? prefix : location);
  }

  private static List<CommentedConfig> entries(Path file) {
    return entries(file, TomlFiles.parse(file, read(file)));
  }

  private static List<CommentedConfig> entries(Path file, CommentedConfig config) {
    Object value = config.get(List.of("registry"));
    if (value == null) {
      return List.of();
    }
    List<CommentedConfig> entries = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object entry : list) {
        if (!(entry instanceof CommentedConfig table)) {
          throw new RuntimeMirrorException(file + ": registry is not an array of tables");
        }
        entries.add(table);
      }
      return entries;
    }
    throw new RuntimeMirrorException(file + ": registry is not an array of tables ([[registry]])");
  }

  private static List<Path> dropIns(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".conf"))
          .filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new RuntimeMirrorException(dir + ": cannot be listed: " + e, e);
    }
  }

  private static byte[] read(Path file) {
    byte[] content = MirrorPlan.read(file);
    return content == null ? new byte[0] : content;
  }
}
