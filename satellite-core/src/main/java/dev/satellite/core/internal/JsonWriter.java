package dev.satellite.core.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes compact JSON (RFC 8259) into a string, for the few stable JSON forms core offers without
 * a JSON library. Strings are escaped fully: quote, backslash, every control character, and lone
 * UTF-16 surrogates (which have no UTF-8 encoding) as {@code \\uXXXX}.
 *
 * <p>The caller is responsible for well-formed nesting; names are written only inside objects.
 */
public final class JsonWriter {
  private final StringBuilder out = new StringBuilder();
  /** One entry per open object or array: whether it already holds a member. */
  private final Deque<Boolean> hasMember = new ArrayDeque<>();
  private boolean afterName;

  public JsonWriter beginObject() {
    beforeValue();
    out.append('{');
    hasMember.push(false);
    return this;
  }

  public JsonWriter endObject() {
    hasMember.pop();
    out.append('}');
    return this;
  }

  public JsonWriter beginArray() {
    beforeValue();
    out.append('[');
    hasMember.push(false);
    return this;
  }

  public JsonWriter endArray() {
    hasMember.pop();
    out.append(']');
    return this;
  }

  public JsonWriter name(String name) {
    beforeValue();
    string(name);
    out.append(':');
    afterName = true;
    return this;
  }

  /** Writes {@code value} as a JSON string, or {@code null}. */
  public JsonWriter value(String value) {
    beforeValue();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    return this;
  }

  public JsonWriter value(long value) {
    beforeValue();
    out.append(value);
    return this;
  }

  public JsonWriter value(boolean value) {
    beforeValue();
    out.append(value);
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (!hasMember.isEmpty()) {
      if (hasMember.pop()) {
        out.append(',');
      }
      hasMember.push(true);
    }
  }

  private void string(String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || isLoneSurrogate(value, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isLoneSurrogate(String value, int i) {
    char c = value.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
    }
    return false;
  }
}
