package dev.satellite.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void theApplicationIsTheProcessLessTheJvmsOwnThreads() {
    Map<String, Long> before = Map.of("process", 1000L, "compiler", 400L, "gc", 50L,
        "processKernel", 300L, "jvmKernel", 20L);
    Map<String, Long> after = Map.of("process", 1600L, "compiler", 550L, "gc", 80L, "jfr", 20L,
        "processKernel", 520L, "jvmKernel", 40L);

    assertThat(ThreadCpu.between(before, after)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "process", 600L, "compiler", 150L, "gc", 30L, "jfr", 20L, "application", 400L,
        "applicationKernel", 200L));
  }

  @Test
  void aSnapshotOfThisJvmHasItsCompilerThreadsAndTheProcess() {
    Map<String, Long> now = ThreadCpu.snapshot();

    assertThat(now).containsKeys("process", "compiler", "vm", "processKernel", "jvmKernel");
    assertThat(now.get("process")).isGreaterThanOrEqualTo(now.get("compiler"));
  }
}
