package dev.satellite.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A single-platform image for tests: its config blob, its layers and its manifest bytes (exactly
 * what is pushed, so {@link #digest()} is the digest a registry reports).
 */
public record TestImage(
    TestImages.Format format,
    String os,
    String architecture,
    TestBlob config,
    List<TestBlob> layers,
    byte[] manifest) {

  public TestImage {
    layers = List.copyOf(layers);
    manifest = manifest.clone();
  }

  @Override
  public byte[] manifest() {
    return manifest.clone();
  }

  public String mediaType() {
    return format.manifestMediaType();
  }

  /** {@code sha256:} digest of the manifest bytes. */
  public String digest() {
    return TestImages.sha256(manifest);
  }

  /** The config blob, then the layers. */
  public List<TestBlob> blobs() {
    List<TestBlob> all = new ArrayList<>(layers.size() + 1);
    all.add(config);
    all.addAll(layers);
    return all;
  }

  /** Bytes of all blobs (config and layers). */
  public long blobBytes() {
    return blobs().stream().mapToLong(TestBlob::size).sum();
  }
}
