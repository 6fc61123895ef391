package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real containerd pulls {@code docker.io/library/hello:v1} through the written {@code
 * hosts.toml}: a containerd daemon of its own (temp root, state and socket, CRI plugin off) and
 * {@code ctr content fetch --hosts-dir}, which resolves hosts exactly as the CRI plugin does with
 * {@code config_path}. The machine has no route to Docker Hub, so the fetch succeeds only through
 * the edge (a CNCF Distribution on loopback), whose access log must show the requests. Needs
 * containerd, ctr and root; skipped with one line otherwise (a failure under {@code
 * -Dsatellite.requireRuntimes=true}).
 */
@RequiresRegistry
class ContainerdPullIT {
  @TempDir Path temp;

  @Test
  void containerdPullsDockerHubImagesFromTheEdge() throws Exception {
    Path containerd = RuntimeBinaries.find("containerd", "containerd");
    Path ctr = RuntimeBinaries.find("ctr", "containerd");
    assumeTrue("root".equals(System.getProperty("user.name")),
        "not root: the containerd daemon check skipped");
    try (DistributionRegistry edge = DistributionRegistry.builder().start()) {
      TestImage image = TestImages.image(TestImages.Format.OCI, 7, TestBlob.random(7, 4096));
      edge.push("library/hello", image, "v1");
      RuntimeRoot node = new RuntimeRoot(temp.resolve("root"));
      MirrorReport report = RuntimeMirrors.builder().edge(edge.baseUrl()).runtimeRoot(node.root)
          .mirrors("containerd:docker.io").build().apply();
      assertThat(report.failures()).isEmpty();

      Process daemon = startContainerd(containerd);
      try {
        String fetched = run(List.of(ctr.toString(), "--address", socket().toString(),
            "--namespace", "satellite-test", "content", "fetch", "--hosts-dir",
            node.path("etc/containerd/certs.d").toString(), "docker.io/library/hello:v1"));

        assertThat(fetched).contains(image.digest().substring("sha256:".length(), 20));
        // containerd names the upstream a mirror serves in the ns parameter
        assertThat(edge.requests()).anySatisfy(request -> {
          assertThat(request.method()).isEqualTo("HEAD");
          assertThat(request.path()).isEqualTo("/v2/library/hello/manifests/v1?ns=docker.io");
          assertThat(request.status()).isEqualTo(200);
        });
        assertThat(edge.requests().stream().filter(request -> request.method().equals("GET")
            && request.path().contains("/blobs/") && request.path().endsWith("?ns=docker.io")))
            .hasSize(2);
      } finally {
        daemon.destroy();
        if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
          daemon.destroyForcibly();
        }
      }
    }
  }

  private Path socket() {
    return temp.resolve("run/containerd.sock");
  }

  private Process startContainerd(Path containerd) throws Exception {
    Path config = temp.resolve("daemon.toml");
    Files.createDirectories(temp.resolve("run"));
    Files.writeString(config, "version = 2\n"
        + "root = \"" + temp.resolve("lib") + "\"\n"
        + "state = \"" + temp.resolve("run/state") + "\"\n"
        + "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
        + "[grpc]\n  address = \"" + socket() + "\"\n");
    Process daemon = new ProcessBuilder(containerd.toString(), "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(temp.resolve("containerd.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.exists(socket())) {
      assertThat(daemon.isAlive()).as("containerd running: %s",
          Files.readString(temp.resolve("containerd.log"))).isTrue();
      assertThat(System.nanoTime()).as("containerd socket within 20 s").isLessThan(deadline);
      Thread.sleep(50);
    }
    return daemon;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(process.exitValue()).as("%s exit status, output: %s", command, output).isZero();
    return output;
  }
}
