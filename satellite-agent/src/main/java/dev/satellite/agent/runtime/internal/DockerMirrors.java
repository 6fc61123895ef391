package dev.satellite.agent.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.agent.internal.support.Json;
import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.RuntimeMirrorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker Engine's mirror configuration in {@code /etc/docker/daemon.json}: the edge's URL first in
 * {@code registry-mirrors}, and for a plain-HTTP edge its {@code HOST:PORT} in {@code
 * insecure-registries}. Every other key, and the other entries of both lists, stay as they are.
 *
 * <p>Docker's {@code registry-mirrors} applies to Docker Hub ({@code docker.io}) pulls only: Docker
 * Engine has no mirror setting for any other registry, so other registries are reported as notes
 * and left to the other runtimes. The daemon falls back to Docker Hub when the mirror fails.
 */
public final class DockerMirrors {
  static final String DAEMON_JSON = "etc/docker/daemon.json";
  private static final String MIRRORS = "registry-mirrors";
  private static final String INSECURE = "insecure-registries";
  private static final Pattern INDENTED_KEY = Pattern.compile("\n([ \t]+)\"");

  private DockerMirrors() {}

  /** Adds {@code daemon.json} to {@code plan} when {@code registries} holds Docker Hub. */
  public static void plan(Path root, EdgeRegistry edge, List<String> registries, MirrorPlan plan) {
    for (String registry : registries) {
      if (!registry.equals(RegistryNames.DOCKER_HUB)) {
        plan.note("docker: " + registry + " not mirrored: Docker Engine's registry-mirrors applies"
            + " to Docker Hub (docker.io) only");
      }
    }
    if (!registries.contains(RegistryNames.DOCKER_HUB)) {
      return;
    }
    Path file = root.resolve(DAEMON_JSON);
    try {
      plan.add(planDaemonJson(file, edge));
    } catch (RuntimeMirrorException e) {
      plan.fail(file, e.getMessage() + "; left untouched");
    }
  }

  private static PlannedFile planDaemonJson(Path file, EdgeRegistry edge) {
    byte[] before = MirrorPlan.read(file);
    ObjectNode existing = before == null ? Json.MAPPER.createObjectNode() : parse(file, before);
    ObjectNode merged = existing.deepCopy();
    ArrayNode mirrors = Json.MAPPER.createArrayNode().add(edge.url());
    for (JsonNode mirror : stringArray(file, existing, MIRRORS)) {
      if (!edge.isUrl(mirror.asText())) {
        mirrors.add(mirror);
      }
    }
    merged.set(MIRRORS, mirrors);
    if (edge.plainHttp()) {
      ArrayNode insecure = stringArray(file, existing, INSECURE).deepCopy();
      boolean listed = false;
      for (JsonNode entry : insecure) {
        listed |= entry.asText().equals(edge.hostPort()) || edge.isUrl(entry.asText());
      }
      if (!listed) {
        insecure.add(edge.hostPort());
      }
      merged.set(INSECURE, insecure);
    }
    MirrorPlan.requireOnlyOursChanged(file, existing, merged, tree -> withoutEdge(tree, edge));
    byte[] after = before != null && existing.equals(merged)
        ? before : write(merged, indentOf(before));
    return new PlannedFile(file, List.of(ContainerRuntime.DOCKER), before, after, written -> {
      if (!parse(file, written).equals(merged)) {
        throw new RuntimeMirrorException(file + ": read back, it holds other settings than merged");
      }
    }, false);
  }

  private static ObjectNode parse(Path file, byte[] content) {
    JsonNode tree;
    try {
      tree = Json.STRICT_READER.readTree(content);
    } catch (IOException e) {
      String reason =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
      throw new RuntimeMirrorException(file + ": not valid JSON: " + reason, e);
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new RuntimeMirrorException(file + ": not a JSON object");
    }
    return object;
  }

  private static ArrayNode stringArray(Path file, ObjectNode tree, String key) {
    JsonNode value = tree.get(key);
    if (value == null || value.isNull()) {
      return Json.MAPPER.createArrayNode();
    }
    if (!(value instanceof ArrayNode array)) {
      throw new RuntimeMirrorException(file + ": \"" + key + "\" is not an array");
    }
    for (JsonNode element : array) {
      if (!element.isTextual()) {
        throw new RuntimeMirrorException(file + ": \"" + key + "\" holds " + element
            + ", not a string");
      }
    }
    return array;
  }

  /** The tree without the edge's entries, and without lists they leave empty. */
  private static ObjectNode withoutEdge(ObjectNode tree, EdgeRegistry edge) {
    ObjectNode copy = tree.deepCopy();
    for (String key : List.of(MIRRORS, INSECURE)) {
      if (copy.get(key) instanceof ArrayNode array) {
        for (int i = array.size() - 1; i >= 0; i--) {
          String entry = array.get(i).asText();
          if (edge.isUrl(entry) || entry.equals(edge.hostPort())) {
            array.remove(i);
          }
        }
        if (array.isEmpty()) {
          copy.remove(key);
        }
      } else if (copy.has(key) && copy.get(key).isNull()) {
        copy.remove(key);
      }
    }
    return copy;
  }


  /** The indentation of the file's first indented key, two spaces for a new or one-line file. */
  private static String indentOf(byte[] content) {
    if (content != null) {
      Matcher first = INDENTED_KEY.matcher(new String(content, StandardCharsets.UTF_8));
      if (first.find()) {
        return first.group(1);
      }
    }
    return "  ";
  }

  /** {@code indent} per level, {@code "key": value}, one array element per line, final newline. */
  private static byte[] write(ObjectNode tree, String indent) {
    DefaultIndenter indenter = new DefaultIndenter(indent, "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    try {
      String text = Json.MAPPER.writer(printer).writeValueAsString(tree);
      return (text + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
