package dev.satellite.testing;

import java.util.List;

/** A multi-platform image for tests: an OCI index or Docker manifest list and its child images. */
public record TestIndex(TestImages.Format format, List<TestImage> children, byte[] manifest) {

  public TestIndex {
    children = List.copyOf(children);
    manifest = manifest.clone();
  }

  @Override
  public byte[] manifest() {
    return manifest.clone();
  }

  public String mediaType() {
    return format.indexMediaType();
  }

  /** {@code sha256:} digest of the index bytes. */
  public String digest() {
    return TestImages.sha256(manifest);
  }
}
