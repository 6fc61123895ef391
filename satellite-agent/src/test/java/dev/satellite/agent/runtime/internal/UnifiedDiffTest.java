package dev.satellite.agent.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
  private static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n")
        .collect(Collectors.joining());
  }

  @Test
  void equalTextsHaveNoDiff() {
    assertThat(UnifiedDiff.between("f", "a\n", "a\n")).isEmpty();
  }

  @Test
  void changeInTheMiddleShowsThreeLinesOfContext() {
    String before = lines(1, 10);
    String after = before.replace("line 5\n", "line five\n");

    assertThat(UnifiedDiff.between("f", before, after)).isEqualTo("""
        --- f
        +++ f
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +line five
         line 6
         line 7
         line 8
        """);
  }

  /** The same hunks as GNU {@code diff -u} prints for this change. */
  @Test
  void changesFarApartAreSeparateHunks() {
    String before = lines(1, 20);
    String after = before.replace("line 2\n", "").replace("line 18\n", "line 18\nadded\n");

    assertThat(UnifiedDiff.between("f", before, after)).isEqualTo("""
        --- f
        +++ f
        @@ -1,5 +1,4 @@
         line 1
        -line 2
         line 3
         line 4
         line 5
        @@ -16,5 +15,6 @@
         line 16
         line 17
         line 18
        +added
         line 19
         line 20
        """);
  }

  @Test
  void newFileIsDiffedAgainstDevNull() {
    assertThat(UnifiedDiff.between("f", null, "a\nb\n")).isEqualTo("""
        --- /dev/null
        +++ f
        @@ -0,0 +1,2 @@
        +a
        +b
        """);
  }

  @Test
  void missingFinalNewlineIsMarked() {
    assertThat(UnifiedDiff.between("f", "a\nb", "a\nb\n")).isEqualTo("""
        --- f
        +++ f
        @@ -1,2 +1,2 @@
         a
        -b
        \\ No newline at end of file
        +b
        """);
  }
}
