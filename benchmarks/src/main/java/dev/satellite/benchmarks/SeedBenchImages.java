package dev.satellite.benchmarks;

import dev.satellite.cli.support.Commands;
import dev.satellite.cli.support.UsageException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Pushes the benchmark data set to a plain-HTTP registry: {@code --count} repositories {@code
 * <prefix>1 .. <prefix>N}, each holding one OCI image tagged {@code t1 .. tT} ({@code --tags}),
 * made of the base layer all images share (when {@code --base-kib} is above 0) and {@code
 * --layers} layers of {@code --layer-kib} pseudo-random bytes unique to that image.
 * Layers are gzip streams of stored (uncompressed) blocks ({@link StoredGzip}): typed {@code
 * tar+gzip} like real layers, a few bytes per 64 KiB larger than their random payload.
 *
 * <p>The base layer is uploaded once and linked into the other repositories by cross-repository
 * mount. Layers stream from {@link SeededBytes}, so no layer is ever held in memory; repositories
 * are pushed by {@code --threads} threads. Prints {@code <repository>:<tag> <digest>} per image,
 * in repository then tag order.
 *
 * <pre>{@code
 * SeedBenchImages --registry http://127.0.0.1:5101 --prefix bench/app --count 10 --tags 1 \
 *     --base-kib 20480 --layers 2 --layer-kib 10240
 * }</pre>
 */
@Command(usageHelpWidth = 100, abbreviateSynopsis = true,
    name = "SeedBenchImages", sortOptions = false,
    description = "Pushes the benchmark data set to a plain-HTTP registry.")
public final class SeedBenchImages {
  @Option(names = "--registry", required = true, paramLabel = "<url>",
      description = "registry to push to")
  String registry;

  @Option(names = "--prefix", defaultValue = "bench/app",
      description = "repositories <prefix>1..<prefix>N (default ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--count", defaultValue = "10", description = "repositories (default ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--tags", defaultValue = "1", description = "tags per repository (default ${DEFAULT-VALUE})")
  int tags;

  @Option(names = "--base-kib", defaultValue = "20480",
      description = "shared base layer in KiB, 0 for none (default ${DEFAULT-VALUE})")
  int baseKib;

  @Option(names = "--layers", defaultValue = "2",
      description = "own layers per image, at most 1000 (default ${DEFAULT-VALUE})")
  int layers;

  @Option(names = "--layer-kib", defaultValue = "10240",
      description = "size of each own layer in KiB (default ${DEFAULT-VALUE})")
  int layerKib;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the bytes (default ${DEFAULT-VALUE})")
  int seed;

  @Option(names = "--threads", defaultValue = "4", description = "pushing threads (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--help", usageHelp = true, description = "print this help")
  boolean help;

  private SeedBenchImages() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    SeedBenchImages command = new SeedBenchImages();
    OptionalInt exit = Commands.parse(command, args, out, err);
    return exit.isPresent() ? exit.getAsInt() : command.push(out, err);
  }

  private int push(PrintStream out, PrintStream err) {
    try {
      Plan plan = new Plan(prefix, atLeast("count", count, 1), atLeast("tags", tags, 1),
          atLeast("base-kib", baseKib, 0) * 1024L, atLeast("layers", layers, 0),
          atLeast("layer-kib", layerKib, 1) * 1024L, atLeast("seed", seed, 0));
      if (plan.layers() > 1000) {
        throw new UsageException("option --layers: " + plan.layers() + " is above 1000");
      }
      atLeast("threads", threads, 1);
      try (RegistryClient client = RegistryClient.builder(registry).build()) {
        for (String line : plan.pushAll(client, threads)) {
          out.println(line);
        }
      }
      return 0;
    } catch (UsageException | IllegalArgumentException e) {
      err.println("SeedBenchImages: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("SeedBenchImages: " + e.getMessage());
      return 1;
    }
  }

  /** The data set to push; {@code baseSize} 0 means images have no shared layer. */
  record Plan(
      String prefix, int count, int tags, long baseSize, int layers, long layerSize, int seed) {

    List<String> pushAll(RegistryClient client, int threads) {
      Optional<Layer> base =
          baseSize == 0 ? Optional.empty() : Optional.of(layer(client, prefix + 1, 0, baseSize));
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<List<String>>> repositories = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
          int index = i;
          repositories.add(pool.submit(() -> pushRepository(client, index, base)));
        }
        List<String> lines = new ArrayList<>();
        for (Future<List<String>> repository : repositories) {
          lines.addAll(repository.get());
        }
        return lines;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("seeding interrupted", e);
      } finally {
        pool.shutdownNow();
      }
    }

    private List<String> pushRepository(
        RegistryClient client, int index, Optional<Layer> base) {
      String repository = prefix + index;
      if (base.isPresent() && index > 1) {
        Digest digest = base.get().descriptor().digest();
        if (!client.mountBlob(repository, digest, prefix + 1)) {
          layer(client, repository, 0, baseSize);
        }
      }
      List<Layer> imageLayers = new ArrayList<>();
      base.ifPresent(imageLayers::add);
      for (int l = 1; l <= layers; l++) {
        long layerSeed = ((long) seed << 40) + ((long) index << 10) + l;
        imageLayers.add(layer(client, repository, layerSeed, layerSize));
      }
      Manifest manifest = pushImage(client, repository, imageLayers);
      List<String> lines = new ArrayList<>();
      for (int t = 1; t <= tags; t++) {
        String tag = "t" + t;
        lines.add(repository + ":" + tag + " " + client.putManifest(repository, tag, manifest));
      }
      return lines;
    }
  }

  /** A pushed layer and the digest of its uncompressed content (its diff ID). */
  private record Layer(Descriptor descriptor, Digest diffId) {}

  /** Pushes the config blob and returns the image manifest, for the caller to tag. */
  private static Manifest pushImage(RegistryClient client, String repository, List<Layer> layers) {
    String diffIds =
        layers.stream().map(l -> "\"" + l.diffId() + "\"").collect(Collectors.joining(","));
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[" + diffIds + "]}}")
            .getBytes(StandardCharsets.UTF_8);
    Digest configDigest = client.pushBlob(repository, config);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
            + json(new Descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length))
            + ",\"layers\":["
            + layers.stream()
                .map(l -> json(l.descriptor()))
                .collect(Collectors.joining(","))
            + "]}";
    return Manifest.of(MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Streams the layer of {@code seed} ({@code size} random bytes in a stored gzip stream) to
   * {@code repository}, unless the registry has it there.
   */
  private static Layer layer(RegistryClient client, String repository, long seed, long size) {
    Digest digest = sha256(layerContent(seed, size));
    long gzipSize = StoredGzip.size(size);
    if (client.headBlob(repository, digest).isEmpty()) {
      try (InputStream content = layerContent(seed, size)) {
        client.pushBlob(repository, digest, gzipSize, content);
      } catch (IOException e) {
        throw new UncheckedIOException("push layer " + digest + " to " + repository, e);
      }
    }
    return new Layer(
        new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, gzipSize), SeededBytes.digest(seed, size));
  }

  private static InputStream layerContent(long seed, long size) {
    return new StoredGzip(new SeededBytes(seed, size), size);
  }

  private static Digest sha256(InputStream content) {
    try (DigestInputStream in =
        new DigestInputStream(content, MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return Digest.parse("sha256:" + HexFormat.of().formatHex(in.getMessageDigest().digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    } catch (IOException e) {
      throw new UncheckedIOException("hash a layer", e);
    }
  }

  private static String json(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest()
        + "\",\"size\":" + d.size() + "}";
  }

  private static int atLeast(String option, int value, int minimum) {
    if (value < minimum) {
      throw new UsageException("option --" + option + ": " + value + " is below " + minimum);
    }
    return value;
  }

}
