package dev.satellite.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds images for tests, deterministically from seeds: layers are {@link TestBlob}s of random
 * bytes (any bytes are a valid blob; registries do not unpack layers), the config is a small JSON
 * document naming the platform, and the manifest is an OCI image manifest or a Docker schema 2
 * manifest. {@link #index} wraps images of several platforms into an OCI index or Docker manifest
 * list. {@link DistributionRegistry#push} uploads them, streaming large layers.
 *
 * <pre>{@code
 * TestBlob base = TestBlob.random(1, 4 << 20);
 * TestImage app = TestImages.image(Format.OCI, 42, base, TestBlob.random(43, 1024));
 * TestIndex multi = TestImages.index(Format.OCI,
 *     TestImages.image(Format.OCI, "linux", "amd64", 7, List.of(base)),
 *     TestImages.image(Format.OCI, "linux", "arm64", 8, List.of(base)));
 * }</pre>
 */
public final class TestImages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestImages() {}

  /** Manifest flavour: media types of the manifest, index, config and layers. */
  public enum Format {
    OCI(
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.config.v1+json",
        "application/vnd.oci.image.layer.v1.tar+gzip"),
    DOCKER(
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.container.image.v1+json",
        "application/vnd.docker.image.rootfs.diff.tar.gzip");

    private final String manifest;
    private final String index;
    private final String config;
    private final String layer;

    Format(String manifest, String index, String config, String layer) {
      this.manifest = manifest;
      this.index = index;
      this.config = config;
      this.layer = layer;
    }

    public String manifestMediaType() {
      return manifest;
    }

    public String indexMediaType() {
      return index;
    }

    public String configMediaType() {
      return config;
    }

    public String layerMediaType() {
      return layer;
    }
  }

  /** A linux/amd64 image with these layers; {@code seed} makes its config (and digest) unique. */
  public static TestImage image(Format format, long seed, TestBlob... layers) {
    return image(format, "linux", "amd64", seed, Arrays.asList(layers));
  }

  /** An image for platform {@code os/architecture} with these layers. */
  public static TestImage image(
      Format format, String os, String architecture, long seed, List<TestBlob> layers) {
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", architecture);
    config.put("os", os);
    config.putObject("config").putObject("Labels").put("dev.satellite.test.seed", seed);
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(l -> diffIds.add(l.digest()));
    TestBlob configBlob = TestBlob.of(bytes(config));

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", format.manifestMediaType());
    manifest.set("config", descriptor(format.configMediaType(), configBlob));
    ArrayNode layerArray = manifest.putArray("layers");
    layers.forEach(l -> layerArray.add(descriptor(format.layerMediaType(), l)));
    return new TestImage(format, os, architecture, configBlob, layers, bytes(manifest));
  }

  /** An OCI index or Docker manifest list of {@code children}, each with its platform. */
  public static TestIndex index(Format format, TestImage... children) {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", format.indexMediaType());
    ArrayNode manifests = index.putArray("manifests");
    for (TestImage child : children) {
      ObjectNode d = manifests.addObject();
      d.put("mediaType", child.mediaType());
      d.put("digest", child.digest());
      d.put("size", child.manifest().length);
      ObjectNode platform = d.putObject("platform");
      platform.put("architecture", child.architecture());
      platform.put("os", child.os());
    }
    return new TestIndex(format, List.of(children), bytes(index));
  }

  /** A two-platform (linux/amd64, linux/arm64) index whose children share {@code base}. */
  public static TestIndex multiArch(Format format, long seed, TestBlob base) {
    return index(
        format,
        image(format, "linux", "amd64", seed, List.of(base, TestBlob.random(seed + 1, 4096))),
        image(format, "linux", "arm64", seed + 2, List.of(base, TestBlob.random(seed + 3, 4096))));
  }

  public static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode descriptor(String mediaType, TestBlob blob) {
    ObjectNode d = JSON.createObjectNode();
    d.put("mediaType", mediaType);
    d.put("digest", blob.digest());
    d.put("size", blob.size());
    return d;
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
