package dev.satellite.registry;

import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;

/**
 * Benchmark (not a test): copies N images that share one base layer from one local real registry
 * to another, cold then warm, and prints wall time, bytes and HTTP requests per side. When {@code
 * /usr/bin/skopeo} exists, the same images are also copied with {@code skopeo sync} to a fresh
 * registry for comparison.
 *
 * <p>Run from {@code satellite-registry} after {@code mvn test-compile}: {@code java -cp
 * target/test-classes:target/classes:$(cat cp.txt) dev.satellite.registry.CopyBenchmark [images=20]
 * [baseMiB=64] [uniqueMiB=4] [parallelism=4]}, where {@code cp.txt} comes from {@code mvn
 * dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class CopyBenchmark {
  private CopyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    long baseBytes = (args.length > 1 ? Long.parseLong(args[1]) : 64) << 20;
    long uniqueBytes = (args.length > 2 ? Long.parseLong(args[2]) : 4) << 20;
    int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 4;

    TestBlob base = TestBlob.random(1, baseBytes);
    List<TestImage> set = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      set.add(TestImages.image(Format.OCI, i, base, TestBlob.random(1000 + i, uniqueBytes)));
    }
    try (DistributionRegistry upstream = DistributionRegistry.builder().start();
        DistributionRegistry edge = DistributionRegistry.builder().start()) {
      try (RegistryClient seed = RegistryClient.builder(upstream.baseUrl()).build()) {
        for (int i = 0; i < images; i++) {
          ImagePush.push(seed, repo(i), set.get(i), "v1");
        }
      }
      System.out.printf("%d images, base layer %d MiB shared, unique layer %d MiB each, "
          + "blob parallelism %d%n", images, baseBytes >> 20, uniqueBytes >> 20, parallelism);
      System.out.printf("%-22s %10s %12s %10s %8s %8s %8s  %s%n", "run", "wall ms", "bytes",
          "MiB/s", "upload", "mount", "skip", "requests (source | edge)");
      Counter sourceRequests = new Counter();
      Counter edgeRequests = new Counter();
      try (RegistryClient source =
              RegistryClient.builder(upstream.baseUrl()).sharedHttpClient(sourceRequests.client())
                  .build();
          RegistryClient destination =
              RegistryClient.builder(edge.baseUrl()).sharedHttpClient(edgeRequests.client())
                  .build();
          ImageCopier copier = ImageCopier.builder().blobParallelism(parallelism).build()) {
        for (String run : List.of("ImageCopier cold", "ImageCopier warm")) {
          sourceRequests.reset();
          edgeRequests.reset();
          long start = System.nanoTime();
          long bytes = 0;
          int uploaded = 0;
          int mounted = 0;
          int skipped = 0;
          for (int i = 0; i < images; i++) {
            CopyResult r = copier.copy(CopyRequest.of(source, repo(i), Digest.parse(set.get(i).digest()))
                    .to(destination, repo(i))
                    .tags(List.of("v1")));
            bytes += r.bytesCopied();
            uploaded += r.blobsUploaded();
            mounted += r.blobsMounted();
            skipped += r.blobsSkipped();
          }
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          System.out.printf("%-22s %10d %12d %10.1f %8d %8d %8d  %s | %s%n", run, ms, bytes,
              bytes / 1048576.0 / Math.max(ms, 1) * 1000, uploaded, mounted, skipped,
              sourceRequests, edgeRequests);
        }
      }
      skopeo(upstream, images);
    }
  }

  /** {@code skopeo sync} of the same repositories into a fresh registry, when skopeo exists. */
  private static void skopeo(DistributionRegistry upstream, int images) throws Exception {
    Path skopeo = Path.of("/usr/bin/skopeo");
    if (!Files.isExecutable(skopeo)) {
      System.out.println("skopeo not installed: no comparison");
      return;
    }
    try (DistributionRegistry target = DistributionRegistry.builder().start()) {
      Path yaml = Files.createTempFile("skopeo-sync", ".yaml");
      StringBuilder spec = new StringBuilder(upstream.hostPort() + ":\n  tls-verify: false\n"
          + "  images:\n");
      for (int i = 0; i < images; i++) {
        spec.append("    ").append(repo(i)).append(": [v1]\n");
      }
      Files.writeString(yaml, spec.toString(), StandardCharsets.UTF_8);
      for (String run : List.of("skopeo sync cold", "skopeo sync warm")) {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(skopeo.toString(), "sync", "--src", "yaml", "--dest",
                "docker", "--dest-tls-verify=false", yaml.toString(),
                target.hostPort() + "/mirror")
            .redirectErrorStream(true)
            .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("%-22s %10d %s%n", run, ms,
            exit == 0 ? "" : "(exit " + exit + ": " + lastLine(out) + ")");
      }
      Files.delete(yaml);
    }
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static String repo(int i) {
    return "bench/app-" + i;
  }

  /** Counts requests by method through an interceptor on a client's shared OkHttp base. */
  private static final class Counter {
    private final Map<String, AtomicInteger> byMethod = new ConcurrentHashMap<>();

    OkHttpClient client() {
      return new OkHttpClient.Builder()
          .addNetworkInterceptor(
              chain -> {
                byMethod.computeIfAbsent(chain.request().method(), m -> new AtomicInteger())
                    .incrementAndGet();
                return chain.proceed(chain.request());
              })
          .build();
    }

    void reset() {
      byMethod.clear();
    }

    @Override
    public String toString() {
      Map<String, Integer> sorted = new TreeMap<>();
      byMethod.forEach((m, n) -> sorted.put(m, n.get()));
      int total = sorted.values().stream().mapToInt(Integer::intValue).sum();
      return total + " " + sorted;
    }
  }

}
