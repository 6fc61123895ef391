package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.FileDigests;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 512 MiB blob copied between two real registries by a child JVM limited to a 64 MiB heap: if
 * the copier buffered the blob anywhere in memory, the child would die of OutOfMemoryError.
 */
@RequiresRegistry
class ImageCopierMemoryIT {
  private static final long BLOB_SIZE = 512L * 1024 * 1024 + 17;

  @TempDir Path tmp;

  @Test
  void copiesA512MibBlobInAChildJvmWith64MibHeap() throws Exception {
    TestBlob big = TestBlob.random(512, BLOB_SIZE);
    TestImage image = TestImages.image(Format.OCI, 512, big);
    try (DistributionRegistry upstream = DistributionRegistry.builder().start();
        DistributionRegistry edge = DistributionRegistry.builder().start()) {
      try (RegistryClient seed = RegistryClient.builder(upstream.baseUrl()).build()) {
        ImagePush.push(seed, "big/app", image, "v1");
      }

      Path output = tmp.resolve("child.log");
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx64m",
                  "-XX:MaxDirectMemorySize=64m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  LargeBlobCopyChild.class.getName(),
                  upstream.baseUrl(),
                  edge.baseUrl(),
                  "big/app",
                  image.digest(),
                  "v1")
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean finished = child.waitFor(5, TimeUnit.MINUTES);
      if (!finished) {
        child.destroyForcibly();
      }
      String log = Files.readString(output, StandardCharsets.UTF_8);

      assertThat(finished).as("child finished; output:\n%s", log).isTrue();
      assertThat(child.exitValue()).as("child exit code; output:\n%s", log).isZero();
      assertThat(log).contains("bytesCopied=" + image.blobBytes());
      assertThat(FileDigests.sha256(edge.blobFile(big.digest()))).isEqualTo(big.digest());
      try (RegistryClient check = RegistryClient.builder(edge.baseUrl()).build()) {
        assertThat(check.headManifest("big/app", "v1").orElseThrow().digest().toString())
            .isEqualTo(image.digest());
        assertThat(check.headBlob("big/app", Digest.parse(big.digest()))).contains(BLOB_SIZE);
      }
    }
  }
}
