package dev.satellite.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's API example is {@link ApiExample}'s code, line for line: every region between
 * {@code // README:begin} and {@code // README:end} in that class stands in the README as a
 * {@code java} code block (indentation aside), so the example the consumer build runs is the one
 * users read.
 */
class ReadmeApiExampleTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path EXAMPLE =
      Path.of("src", "main", "java", "dev", "satellite", "examples", "ApiExample.java");

  @Test
  void everyMarkedRegionOfTheExampleIsACodeBlockOfTheReadme() throws IOException {
    List<String> regions = markedRegions(Files.readString(EXAMPLE));
    List<String> blocks = javaBlocks(Files.readString(README));

    assertThat(regions).as("README regions marked in ApiExample").hasSize(2);
    assertThat(blocks).as("the README's java code blocks").containsAll(regions);
  }

  @Test
  void aRegionMissingFromTheReadmeIsFound() {
    List<String> regions = markedRegions(
        "  // README:begin x\n  int a = 1;\n  // README:end\n");

    assertThat(regions).containsExactly("int a = 1;");
    assertThat(javaBlocks("```java\nint a = 2;\n```\n")).doesNotContainAnyElementsOf(regions);
  }

  static List<String> markedRegions(String source) {
    List<String> regions = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^[ \\t]*// README:begin[^\\n]*\\n(.*?)^[ \\t]*// README:end",
        Pattern.DOTALL).matcher(source);
    while (m.find()) {
      regions.add(dedent(m.group(1)));
    }
    return regions;
  }

  static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      blocks.add(dedent(m.group(1)));
    }
    return blocks;
  }

  /** The lines with their common indentation removed, trailing blanks dropped. */
  static String dedent(String text) {
    List<String> lines = text.lines().map(String::stripTrailing).toList();
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return String.join("\n", lines.stream()
        .map(l -> l.isBlank() ? "" : l.substring(indent)).toList()).strip();
  }
}
