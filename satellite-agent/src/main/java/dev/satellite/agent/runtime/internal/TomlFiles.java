package dev.satellite.agent.runtime.internal;

import com.electronwill.nightconfig.core.CommentedConfig;
import com.electronwill.nightconfig.core.UnmodifiableConfig;
import com.electronwill.nightconfig.core.io.IndentStyle;
import com.electronwill.nightconfig.core.io.NewlineStyle;
import com.electronwill.nightconfig.core.io.ParsingException;
import com.electronwill.nightconfig.core.io.ParsingMode;
import com.electronwill.nightconfig.toml.TomlFormat;
import com.electronwill.nightconfig.toml.TomlParser;
import com.electronwill.nightconfig.toml.TomlWriter;
import dev.satellite.agent.runtime.RuntimeMirrorException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the runtimes' TOML files. Tables keep their keys in file order; comments in
 * front of a key or table stay in front of it; the writer puts every table under a
 * {@code [header]} (arrays of tables under {@code [[header]]}), flush left, strings in double
 * quotes, LF line ends. What is not kept: a comment at the end of a line moves onto its own line
 * above the key, comments inside a multi-line array are dropped, and the original's indentation
 * and blank lines are replaced by the writer's. The file's previous version is kept as a backup.
 */
public final class TomlFiles {
  private TomlFiles() {}

  /** A new, empty table that keeps its keys in insertion order. */
  public static CommentedConfig newTable() {
    return TomlFormat.instance().createConfig(LinkedHashMap::new);
  }

  /**
   * Parses {@code content} (UTF-8).
   *
   * @throws RuntimeMirrorException naming {@code file} and the parser's complaint
   */
  public static CommentedConfig parse(Path file, byte[] content) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw new RuntimeMirrorException(file + ": not UTF-8 text, so not TOML");
    }
    CommentedConfig table = newTable();
    try {
      new TomlParser().parse(new StringReader(text), table, ParsingMode.REPLACE);
    } catch (ParsingException e) {
      throw new RuntimeMirrorException(file + ": not valid TOML: " + e.getMessage(), e);
    }
    return table;
  }

  /** The table as TOML text, UTF-8. */
  public static byte[] write(UnmodifiableConfig table) {
    TomlWriter writer = new TomlWriter();
    writer.setIndent(IndentStyle.NONE);
    writer.setNewline(NewlineStyle.UNIX);
    StringWriter out = new StringWriter();
    writer.write(table, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The table's values as plain maps (key order ignored by {@code equals}), lists and scalars:
   * what two files must agree on to configure a runtime the same way.
   */
  public static Map<String, Object> values(UnmodifiableConfig table) {
    Map<String, Object> plain = new LinkedHashMap<>();
    for (UnmodifiableConfig.Entry entry : table.entrySet()) {
      plain.put(entry.getKey(), plainValue(entry.getValue()));
    }
    return plain;
  }

  private static Object plainValue(Object value) {
    if (value instanceof UnmodifiableConfig table) {
      return values(table);
    }
    if (value instanceof List<?> list) {
      List<Object> plain = new ArrayList<>(list.size());
      list.forEach(element -> plain.add(plainValue(element)));
      return plain;
    }
    return value;
  }

  /** A deep copy of a tree made of maps and lists (as {@link #values} returns). */
  @SuppressWarnings("unchecked")
  public static <T> T copy(T plain) {
    if (plain instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, value) -> copy.put((String) key, copy(value)));
      return (T) copy;
    }
    if (plain instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(element -> copy.add(copy(element)));
      return (T) copy;
    }
    return plain;
  }

  /**
   * A deep copy of {@code table} that keeps key order and the comments in front of keys; {@code
   * parent} creates the new tables.
   */
  public static CommentedConfig copy(CommentedConfig table, CommentedConfig parent) {
    CommentedConfig copy = parent.createSubConfig();
    copyEntries(table, copy);
    return copy;
  }

  /** Copies every entry (deeply) and its comment from {@code from} into {@code to}. */
  public static void copyEntries(CommentedConfig from, CommentedConfig to) {
    for (CommentedConfig.Entry entry : from.entrySet()) {
      String key = entry.getKey();
      to.set(List.of(key), copyValue(entry.getValue(), to));
      String comment = entry.getComment();
      if (comment != null) {
        to.setComment(List.of(key), comment);
      }
    }
  }

  private static Object copyValue(Object value, CommentedConfig parent) {
    if (value instanceof CommentedConfig table) {
      return copy(table, parent);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(element -> copy.add(copyValue(element, parent)));
      return copy;
    }
    return value;
  }

  /**
   * The sub-table at {@code path}, created (with its missing parents) when absent.
   *
   * @throws RuntimeMirrorException when something on the path is not a table
   */
  public static CommentedConfig table(Path file, CommentedConfig root, List<String> path) {
    CommentedConfig current = root;
    for (int i = 0; i < path.size(); i++) {
      String key = path.get(i);
      Object value = current.get(List.of(key));
      if (value == null) {
        CommentedConfig created = current.createSubConfig();
        current.set(List.of(key), created);
        current = created;
      } else if (value instanceof CommentedConfig table) {
        current = table;
      } else {
        throw new RuntimeMirrorException(file + ": " + dotted(path.subList(0, i + 1))
            + " is not a table");
      }
    }
    return current;
  }

  /** {@code a."b.c".d}: a key path as TOML writes it. */
  public static String dotted(List<String> path) {
    StringBuilder out = new StringBuilder();
    for (String key : path) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"");
    }
    return out.toString();
  }
}
