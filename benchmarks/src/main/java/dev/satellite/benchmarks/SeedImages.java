package dev.satellite.benchmarks;

import dev.satellite.cli.support.Commands;
import dev.satellite.cli.support.RegistryLogin;
import dev.satellite.cli.support.UsageException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.TlsOptions;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
@Command(usageHelpWidth = 100, abbreviateSynopsis = true,
    name = "SeedImages", sortOptions = false,
    description = "Pushes demo images that share a base layer.")
public final class SeedImages {
  @Option(names = "--registry", required = true, paramLabel = "<url>",
      description = "registry to push to (http:// = plain HTTP)")
  String registry;

  @Option(names = "--ca", paramLabel = "<pem>",
      description = "CA bundle trusted for --registry (instead of the system's)")
  Path ca;

  @Option(names = "--user", paramLabel = "<name>",
      description = "its user; password from env " + RegistryLogin.PASSWORD_VARIABLE)
  String user;

  @Option(names = "--count", defaultValue = "3", description = "images (default ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--base-mib", defaultValue = "8",
      description = "size of the shared base layer in MiB (default ${DEFAULT-VALUE})")
  int baseMib;

  @Option(names = "--layer-mib", defaultValue = "4",
      description = "size of each image's own layer in MiB (default ${DEFAULT-VALUE})")
  int layerMib;

  @Option(names = "--prefix", defaultValue = "demo/app",
      description = "repositories <prefix>1..<prefix>N (default ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--tag", defaultValue = "v1", description = "tag (default ${DEFAULT-VALUE})")
  String tag;

  @Option(names = "--seed", defaultValue = "1",
      description = "seed of the layers' bytes (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--only", defaultValue = "0",
      description = "push only image number N (default: all)")
  int only;

  @Option(names = "--help", usageHelp = true, description = "print this help")
  boolean help;

  private SeedImages() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    SeedImages command = new SeedImages();
    OptionalInt exit = Commands.parse(command, args, out, err);
    return exit.isPresent() ? exit.getAsInt() : command.push(env, out, err);
  }

  private int push(Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      long base = baseMib * 1024L * 1024;
      long own = layerMib * 1024L * 1024;
      try (RegistryClient client =
          RegistryClient.builder(registry).credentials(RegistryLogin.credentials(user, env))
              .tls(ca == null ? TlsOptions.systemDefault()
                  : TlsOptions.builder().trustedCertificates(ca).build())
              .build()) {
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
}
