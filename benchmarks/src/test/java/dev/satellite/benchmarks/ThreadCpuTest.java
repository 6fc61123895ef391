package dev.satellite.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void theApplicationIsTheProcessLessTheJvmsOwnThreads() {
    Map<String, Long> before = Map.of("process", 1000L, "compiler", 400L, "gc", 50L);
    Map<String, Long> after = Map.of("process", 1600L, "compiler", 550L, "gc", 80L, "jfr", 20L);

    assertThat(ThreadCpu.between(before, after)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "process", 600L, "compiler", 150L, "gc", 30L, "jfr", 20L, "application", 400L));
  }

  @Test
  void aSnapshotOfThisJvmHasItsCompilerThreadsAndTheProcess() {
    Map<String, Long> now = ThreadCpu.snapshot();

    assertThat(now).containsKeys("process", "compiler", "vm");
    assertThat(now.get("process")).isGreaterThanOrEqualTo(now.get("compiler"));
  }
}
