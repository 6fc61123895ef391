package dev.satellite.registry;

import dev.satellite.persistence.AtomicFileUploadJournal;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark (not a test): what the upload journal costs an uninterrupted copy. One image of one
 * large layer is copied cold between two local real registries, alternately without and with a
 * journal (each time to a fresh edge), and the wall and process CPU time of each copy printed.
 *
 * <p>Run from {@code satellite-registry} after {@code mvn test-compile} (see {@link
 * CopyBenchmark} for the class path): {@code ... dev.satellite.registry.ResumableCopyBenchmark
 * [layerMiB=512] [rounds=3]}.
 */
public final class ResumableCopyBenchmark {
  private ResumableCopyBenchmark() {}

  public static void main(String[] args) throws Exception {
    long layerBytes = (args.length > 0 ? Long.parseLong(args[0]) : 512) << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    TestBlob layer = TestBlob.random(77, layerBytes);
    TestImage image = TestImages.image(Format.OCI, 77, layer);
    Path journalDir = Files.createTempDirectory("resumable-copy-benchmark");
    try (DistributionRegistry upstream = DistributionRegistry.builder().start();
        RegistryClient source = RegistryClient.builder(upstream.baseUrl()).build();
        AtomicFileUploadJournal journal = AtomicFileUploadJournal.open(journalDir)) {
      ImagePush.push(source, "bench/layer", image, "v1");
      for (int round = 1; round <= rounds; round++) {
        for (boolean withJournal : new boolean[] {false, true}) {
          ImageCopier.Builder builder = ImageCopier.builder();
          if (withJournal) {
            builder.uploadJournal(journal);
          }
          try (DistributionRegistry edge = DistributionRegistry.builder().start();
              RegistryClient destination = RegistryClient.builder(edge.baseUrl()).build();
              ImageCopier copier = builder.build()) {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            copier.copy(CopyRequest.of(source, "bench/layer", Digest.parse(image.digest()))
                    .to(destination, "bench/layer")
                    .tags(List.of("v1")));
            long wallMs = (System.nanoTime() - t0) / 1_000_000;
            long cpuMs = (processCpuNanos() - cpu0) / 1_000_000;
            System.out.printf("round %d %-15s %6d ms wall %6d ms CPU (%d MiB)%n", round,
                withJournal ? "with journal" : "without journal", wallMs, cpuMs,
                layerBytes >> 20);
          }
        }
      }
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
