package dev.satellite.agent.runtime.internal;

import com.electronwill.nightconfig.core.CommentedConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sets one key of one table by changing only the line that holds it, so that an operator's file
 * keeps its layout and every comment: the key's line is replaced when the table has it, added
 * under the table's header when the table has one, or the table appended at the end. The line and
 * header are rendered by the TOML writer, and the result is used only when it parses to exactly
 * the tree the merge computed; otherwise the caller writes the whole merged tree instead.
 */
final class TomlKeyEdit {
  private TomlKeyEdit() {}

  /**
   * {@code original} with {@code table.key = value}, or empty when no line edit gives exactly
   * {@code expected}.
   */
  static Optional<byte[]> set(Path file, String original, List<String> table, String key,
      Object value, Map<String, Object> expected) {
    CommentedConfig line = TomlFiles.newTable();
    line.set(List.of(key), value);
    String keyLine = new String(TomlFiles.write(line), StandardCharsets.UTF_8).strip();
    String header = "[" + TomlFiles.dotted(table) + "]";
    List<String> lines = new ArrayList<>(List.of(original.split("(?<=\n)", -1)));
    lines.removeIf(String::isEmpty);
    int headerAt = -1;
    for (int i = 0; i < lines.size(); i++) {
      String trimmed = lines.get(i).strip();
      if (trimmed.equals(header) || trimmed.startsWith(header + " ")
          || trimmed.startsWith(header + "#")) {
        headerAt = i;
        break;
      }
    }
    if (headerAt < 0) {
      String separator = original.isEmpty() || original.endsWith("\n") ? "" : "\n";
      return verified(file, original + separator + "\n" + header + "\n" + keyLine + "\n", expected);
    }
    Pattern keyPattern = Pattern.compile("\\s*" + Pattern.quote(key) + "\\s*=.*\\R?");
    int insertAt = headerAt + 1;
    String indent = null;
    for (int i = headerAt + 1; i < lines.size(); i++) {
      String current = lines.get(i);
      String trimmed = current.strip();
      if (trimmed.startsWith("[")) {
        break;
      }
      if (keyPattern.matcher(current).matches()) {
        lines.set(i, leading(current) + keyLine + "\n");
        return verified(file, String.join("", lines), expected);
      }
      if (indent == null && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
        indent = leading(current);
      }
    }
    if (indent == null) {
      indent = leading(lines.get(headerAt)) + "  ";
    }
    String headerLine = lines.get(headerAt);
    if (!headerLine.endsWith("\n")) {
      lines.set(headerAt, headerLine + "\n");
    }
    lines.add(insertAt, indent + keyLine + "\n");
    return verified(file, String.join("", lines), expected);
  }

  private static Optional<byte[]> verified(Path file, String text, Map<String, Object> expected) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      if (TomlFiles.values(TomlFiles.parse(file, bytes)).equals(expected)) {
        return Optional.of(bytes);
      }
    } catch (RuntimeException e) {
      // not a valid edit of this file's layout: the caller writes the whole tree
    }
    return Optional.empty();
  }

  private static String leading(String line) {
    int end = 0;
    while (end < line.length() && (line.charAt(end) == ' ' || line.charAt(end) == '\t')) {
      end++;
    }
    return line.substring(0, end);
  }
}
