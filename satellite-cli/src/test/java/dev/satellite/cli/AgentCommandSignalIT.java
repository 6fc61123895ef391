package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of a pass: the agent stops cleanly, exit 0, checkpoint loadable, and the
 * shutdown hooks of the application embedding it still run.
 */
@RequiresRegistry
class AgentCommandSignalIT {
  @TempDir Path dir;

  @Test
  void sigtermMidPassExitsZeroWithALoadableCheckpointAndTheHostsHooksRun() throws Exception {
    try (DistributionRegistry upstream = DistributionRegistry.builder().start();
        DistributionRegistry edge = DistributionRegistry.builder().start()) {
      PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      DemoImages.push(upstream, 6, 8, 48);
      ByteArrayOutputStream stateRef = new ByteArrayOutputStream();
      assertThat(PublishStateCommand.run(new String[] {"--registry", upstream.baseUrl(), "--satellite",
          "edge-1", "--group", "g1=demo/app1:v1,demo/app2:v1,demo/app3:v1",
          "--group", "g2=demo/app4:v1,demo/app5:v1,demo/app6:v1"}, Map.of(),
          new PrintStream(stateRef, true, StandardCharsets.UTF_8), quiet)).isZero();
      Path checkpoint = dir.resolve("checkpoint.json");
      Path hostHookMarker = dir.resolve("host-hook-ran");

      try (ChildJvm agent = ChildJvm.start(dir.resolve("agent.log"),
          Map.of("HOST_HOOK_MARKER", hostHookMarker.toString()), HostApplication.class,
          List.of("--state", stateRef.toString(StandardCharsets.UTF_8).strip(),
              "--destination", edge.baseUrl(), "--checkpoint", checkpoint.toString(),
              "--interval", "1h", "--listen", "off"))) {
        assertThat(agent.awaitLine(line -> line.contains("copied "), Duration.ofSeconds(60)))
            .as(agent.output()).isTrue();
        assertThat(agent.output())
            .as("the first pass is still running")
            .doesNotContain("sync ok");

        long start = System.nanoTime();
        int status = agent.terminate(Duration.ofSeconds(15));

        assertThat(status).as(agent.output()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(agent.output()).contains("stop requested").contains("agent stopped");
      }
      assertThat(hostHookMarker).hasContent("host shutdown hook ran");
      try (AtomicFileStateStore store = AtomicFileStateStore.open(checkpoint)) {
        assertThat(store.load()).isPresent();
      }
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .noneMatch(name -> name.contains(".corrupt-"));
      }
    }
  }
}
