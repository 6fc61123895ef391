package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.AccessLog;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.FileDigests;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM copying a 512 MiB layer between two real registries with an upload journal is
 * SIGKILLed at about half the layer, at five different points; a new child then finishes the copy.
 * The restart must fetch at most 60% of the layer from the upstream (counted in the upstream's
 * access log) and the edge must end up with the exact blob.
 */
@RequiresRegistry
class ResumableCopyKillIT {
  private static final long LAYER = 512L * 1024 * 1024 + 4099;
  private static final double[] KILL_POINTS = {0.50, 0.45, 0.48, 0.52, 0.55};
  private static final String REPO = "big/resumable";

  @TempDir Path tmp;

  @Test
  void restartAfterAKillAtAboutHalfFetchesAtMostSixtyPercentOfTheLayerAgain() throws Exception {
    TestBlob layer = TestBlob.random(8, LAYER);
    TestImage image = TestImages.image(Format.OCI, 8, layer);
    try (DistributionRegistry upstream = DistributionRegistry.builder().start()) {
      try (RegistryClient seed = RegistryClient.builder(upstream.baseUrl()).build()) {
        ImagePush.push(seed, REPO, image, "v1");
      }
      for (double point : KILL_POINTS) {
        try (DistributionRegistry edge = DistributionRegistry.builder().start()) {
          Path journal = Files.createDirectories(tmp.resolve("journal-" + point));
          int before = upstream.requests().size();
          Process first = startChild(upstream, edge, image, journal, "first-" + point);
          long spooledAtKill = waitForSpool(journal, (long) (point * LAYER), first);
          first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          int mark = awaitKilledDownloadLogged(upstream, before, layer.digest());

          Process second = startChild(upstream, edge, image, journal, "second-" + point);
          assertThat(second.waitFor(3, TimeUnit.MINUTES)).as("restarted child finished").isTrue();
          String output = Files.readString(tmp.resolve("second-" + point + ".log"));
          assertThat(second.exitValue()).as("restarted child output:\n%s", output).isZero();

          long fetchedAgain = blobBytesServed(upstream.requests(), mark, layer.digest());
          System.out.printf("kill at %.0f%% (%d bytes spooled): restart fetched %d of %d bytes"
                  + " (%.1f%%)%n", point * 100, spooledAtKill, fetchedAgain, LAYER,
              100.0 * fetchedAgain / LAYER);
          assertThat(fetchedAgain)
              .as("bytes fetched again after a kill at %s; restarted child output:\n%s", point,
                  output)
              .isLessThanOrEqualTo((long) (0.60 * LAYER));
          assertThat(output).contains("bytesResumed=");
          assertThat(FileDigests.sha256(edge.blobFile(layer.digest()))).isEqualTo(layer.digest());
          try (Stream<Path> left = Files.list(journal)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                .noneMatch(name -> name.endsWith(".spool") || name.endsWith(".upload"));
          }
        }
      }
    }
  }

  private Process startChild(DistributionRegistry upstream, DistributionRegistry edge,
      TestImage image, Path journal, String name) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            ResumableCopyChild.class.getName(),
            upstream.baseUrl(),
            edge.baseUrl(),
            REPO,
            image.digest(),
            "v1",
            journal.toString())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile())
        .start();
  }

  /** Waits until the journal's spool holds {@code bytes}; returns how many it holds then. */
  private static long waitForSpool(Path journal, long bytes, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      assertThat(child.isAlive()).as("child still copying").isTrue();
      long spooled = spoolSize(journal);
      if (spooled >= bytes) {
        return spooled;
      }
      Thread.sleep(2);
    }
    throw new AssertionError("spool never reached " + bytes + " bytes");
  }

  private static long spoolSize(Path journal) throws IOException {
    try (Stream<Path> files = Files.list(journal)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".spool"))
          .mapToLong(p -> {
            try {
              return Files.size(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .sum();
    }
  }

  /**
   * Waits until the upstream logged (after entry {@code from}) the download the kill cut short;
   * returns the number of log entries up to it (what comes after belongs to the restart).
   */
  private static int awaitKilledDownloadLogged(
      DistributionRegistry upstream, int from, String digest) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      List<AccessLog.Entry> entries = upstream.requests();
      for (int i = entries.size() - 1; i >= from; i--) {
        AccessLog.Entry e = entries.get(i);
        if (e.method().equals("GET") && e.path().endsWith("/blobs/" + digest)
            && e.bytes() < LAYER) {
          return entries.size();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the upstream never logged the interrupted download");
  }

  private static long blobBytesServed(List<AccessLog.Entry> entries, int from, String digest) {
    return entries.subList(from, entries.size()).stream()
        .filter(e -> e.method().equals("GET") && e.path().endsWith("/blobs/" + digest))
        .mapToLong(AccessLog.Entry::bytes)
        .sum();
  }
}
