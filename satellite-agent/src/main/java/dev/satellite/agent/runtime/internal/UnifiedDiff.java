package dev.satellite.agent.runtime.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff ({@code diff -u}) of two texts, line by line, with three lines of context. Lines
 * are matched by a longest common subsequence, which is quadratic in the line counts: fine for
 * configuration files; past {@value #MAX_LINES} lines on either side the whole file is shown as
 * replaced rather than spend the memory.
 */
public final class UnifiedDiff {
  static final int MAX_LINES = 4_000;
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  /**
   * The diff from {@code before} (null: the file did not exist) to {@code after}, headed with
   * {@code label}; empty when the texts are equal.
   */
  public static String between(String label, String before, String after) {
    if (after.equals(before)) {
      return "";
    }
    List<String> a = before == null ? List.of() : lines(before);
    List<String> b = lines(after);
    List<Edit> edits = edits(a, b);
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(before == null ? "/dev/null" : label).append('\n');
    out.append("+++ ").append(label).append('\n');
    int i = 0;
    while (i < edits.size()) {
      if (edits.get(i).op == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      int lastChange = i;
      while (end < edits.size()) {
        if (edits.get(end).op != ' ') {
          lastChange = end;
        } else if (end - lastChange > 2 * CONTEXT) {
          break;
        }
        end++;
      }
      end = Math.min(edits.size(), lastChange + CONTEXT + 1);
      appendHunk(out, edits.subList(start, end));
      i = end;
    }
    return out.toString();
  }

  private static void appendHunk(StringBuilder out, List<Edit> hunk) {
    Edit first = hunk.get(0);
    int oldCount = 0;
    int newCount = 0;
    for (Edit e : hunk) {
      oldCount += e.op == '+' ? 0 : 1;
      newCount += e.op == '-' ? 0 : 1;
    }
    out.append("@@ -").append(range(first.oldLine, oldCount)).append(" +")
        .append(range(first.newLine, newCount)).append(" @@\n");
    for (Edit e : hunk) {
      out.append(e.op).append(e.text).append('\n');
      if (e.missingNewline) {
        out.append("\\ No newline at end of file\n");
      }
    }
  }

  /** {@code START,COUNT} as diff prints it: an empty range starts one line before. */
  private static String range(int firstLine, int count) {
    return (count == 0 ? firstLine - 1 : firstLine) + "," + count;
  }

  private static List<Edit> edits(List<String> a, List<String> b) {
    List<Edit> edits = new ArrayList<>();
    if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
      for (int i = 0; i < a.size(); i++) {
        edits.add(new Edit('-', a.get(i), i + 1, 1));
      }
      for (int j = 0; j < b.size(); j++) {
        edits.add(new Edit('+', b.get(j), a.size() + 1, j + 1));
      }
      return markLast(edits);
    }
    int[][] common = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        common[i][j] = a.get(i).equals(b.get(j))
            ? common[i + 1][j + 1] + 1
            : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        edits.add(new Edit(' ', a.get(i), ++i, ++j));
      } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
        edits.add(new Edit('-', a.get(i), ++i, j + 1));
      } else {
        edits.add(new Edit('+', b.get(j), i + 1, ++j));
      }
    }
    return markLast(edits);
  }

  /** Marks the last line of a side that lacks a final newline (kept in the text as a "\0" end). */
  private static List<Edit> markLast(List<Edit> edits) {
    List<Edit> marked = new ArrayList<>(edits.size());
    for (Edit e : edits) {
      boolean unterminated = e.text.endsWith("\0");
      String text = unterminated ? e.text.substring(0, e.text.length() - 1) : e.text;
      marked.add(new Edit(e.op, text, e.oldLine, e.newLine, unterminated));
    }
    return marked;
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    } else {
      int last = lines.size() - 1;
      lines.set(last, lines.get(last) + "\0");
    }
    return lines;
  }

  private record Edit(char op, String text, int oldLine, int newLine, boolean missingNewline) {
    Edit(char op, String text, int oldLine, int newLine) {
      this(op, text, oldLine, newLine, false);
    }
  }
}
