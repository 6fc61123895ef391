package dev.satellite.examples;

import dev.satellite.examples.cli.Arguments;
import dev.satellite.examples.cli.RegistryLogin;
import dev.satellite.examples.cli.SeededBytes;
import dev.satellite.examples.cli.UsageException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.RegistryClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Pushes demo images to a registry with the {@link RegistryClient} API: {@code --count} images
 * {@code <prefix>1 .. <prefix>N}, each an OCI image of one base layer they all share plus one
 * layer of its own, tagged {@code --tag}. Layers are pseudo-random bytes streamed from a seed, so
 * they can be large without using memory; {@code --seed} changes the images' own layers (to move a
 * tag to a new digest).
 *
 * <pre>{@code
 * SeedImages --registry http://127.0.0.1:5101 --count 4 --base-mib 32 --layer-mib 16
 * (with --user, the password comes from the environment variable SATELLITE_REGISTRY_PASSWORD)
 * }</pre>
 */
public final class SeedImages {
  private static final Set<String> VALUES =
      Set.of("registry", "user", "count", "base-mib", "layer-mib", "prefix", "tag", "seed", "only");

  private SeedImages() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      Arguments a = Arguments.parse(args, VALUES, Set.of());
      String registry = a.required("registry");
      int count = number(a, "count", 3);
      long base = number(a, "base-mib", 8) * 1024L * 1024;
      long own = number(a, "layer-mib", 4) * 1024L * 1024;
      String prefix = a.value("prefix").orElse("demo/app");
      String tag = a.value("tag").orElse("v1");
      long seed = number(a, "seed", 1);
      int only = number(a, "only", 0);
      try (RegistryClient client =
          RegistryClient.builder(registry).credentials(RegistryLogin.credentials(a, env)).build()) {
        for (int i = 1; i <= count; i++) {
          if (only == 0 || only == i) {
            String repository = prefix + i;
            Digest digest = push(client, repository, tag, base, own, seed * 1000 + i);
            out.println(repository + ":" + tag + " " + digest);
          }
        }
      }
      return 0;
    } catch (UsageException | IllegalArgumentException e) {
      err.println("SeedImages: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("SeedImages: " + e.getMessage());
      return 1;
    }
  }

  private static Digest push(
      RegistryClient client, String repository, String tag, long baseSize, long ownSize,
      long ownSeed) {
    Descriptor base = pushLayer(client, repository, 0, baseSize);
    Descriptor own = pushLayer(client, repository, ownSeed, ownSize);
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + base.digest() + "\",\"" + own.digest() + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    Digest configDigest = client.pushBlob(repository, config);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
            + "\"config\":" + json(new Descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length))
            + ",\"layers\":[" + json(base) + "," + json(own) + "]}";
    return client.putManifest(
        repository, tag,
        Manifest.of(MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8)));
  }

  private static Descriptor pushLayer(RegistryClient client, String repository, long seed, long size) {
    Digest digest = SeededBytes.digest(seed, size);
    if (client.headBlob(repository, digest).isEmpty()) {
      try (InputStream content = new SeededBytes(seed, size)) {
        client.pushBlob(repository, digest, size, content);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, size);
  }

  private static String json(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest()
        + "\",\"size\":" + d.size() + "}";
  }

  private static int number(Arguments a, String option, int fallback) {
    String text = a.value(option).orElse(Integer.toString(fallback));
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new UsageException("option --" + option + ": '" + text + "' is not a whole number");
    }
  }
}
