package dev.satellite.agent.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.satellite.agent.runtime.RuntimeMirrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads and writes the runtimes' YAML files (k3s's and RKE2's {@code registries.yaml}) as Jackson
 * trees. A file must be one YAML document whose top level is a mapping (an empty file is an empty
 * mapping); a key given twice, a second document, an anchor, alias or explicit tag (which a tree
 * cannot hold faithfully) or anything Jackson cannot read is refused with the reason, so the file
 * is left as it is. The writer puts two spaces per level, list
 * items as {@code - } under their key, no {@code ---} marker, quotes only where a plain scalar
 * would read back as something else (a number-like or boolean-like string, a leading special
 * character); comments are not kept.
 */
public final class YamlFiles {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*#");

  private YamlFiles() {}

  /** A new, empty mapping that keeps its keys in insertion order. */
  public static ObjectNode newMapping() {
    return YAML.createObjectNode();
  }

  /**
   * Parses {@code content} (UTF-8) as one YAML document holding a mapping.
   *
   * @throws RuntimeMirrorException naming {@code file} and what is wrong with it
   */
  public static ObjectNode parse(Path file, byte[] content) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw new RuntimeMirrorException(file + ": not UTF-8 text, so not YAML");
    }
    List<JsonNode> documents = new ArrayList<>();
    try {
      refuseWhatATreeCannotKeep(file, text);
    } catch (IOException e) {
      throw new RuntimeMirrorException(file + ": not valid YAML: " + reason(e), e);
    }
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        documents.add(it.nextValue());
      }
    } catch (IOException | RuntimeException e) {
      throw new RuntimeMirrorException(file + ": not valid YAML: " + reason(e), e);
    }
    if (documents.size() > 1) {
      throw new RuntimeMirrorException(file + ": holds " + documents.size() + " YAML documents,"
          + " one was expected");
    }
    JsonNode document = documents.isEmpty() ? null : documents.get(0);
    if (document == null || document.isNull() || document.isMissingNode()) {
      return newMapping();
    }
    if (!(document instanceof ObjectNode mapping)) {
      throw new RuntimeMirrorException(file + ": its top level is not a mapping");
    }
    return mapping;
  }

  /** The mapping as YAML text (UTF-8), ending in a newline. */
  public static byte[] write(ObjectNode tree) {
    try {
      return YAML.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes as YAML", e);
    }
  }

  /** True when the text has a comment line, which rewriting the file drops. */
  public static boolean hasCommentLine(byte[] content) {
    return content != null
        && COMMENT_LINE.matcher(new String(content, StandardCharsets.UTF_8)).find();
  }

  /**
   * Refuses anchors, aliases and explicit tags: the tree holds an alias as the anchor's name and a
   * tagged scalar as its text, so writing the tree back would change what the file means.
   */
  private static void refuseWhatATreeCannotKeep(Path file, String text) throws IOException {
    try (YAMLParser parser = (YAMLParser) YAML.createParser(text)) {
      while (parser.nextToken() != null) {
        String construct = parser.isCurrentAlias() ? "an alias (*" + parser.getText() + ")"
            : parser.getObjectId() != null ? "an anchor (&" + parser.getObjectId() + ")"
            : parser.getTypeId() != null ? "a tag (!" + parser.getTypeId() + ")" : null;
        if (construct != null) {
          throw new RuntimeMirrorException(file + ": uses " + construct + " at line "
              + parser.currentLocation().getLineNr() + ", which this merge cannot keep; write"
              + " the values out in full");
        }
      }
    }
  }

  private static String reason(Exception e) {
    String message = e instanceof JsonProcessingException j ? j.getOriginalMessage()
        : e.getMessage();
    return message == null ? e.toString() : message.strip().replaceAll("\\s*\n\\s*", " ");
  }
}
