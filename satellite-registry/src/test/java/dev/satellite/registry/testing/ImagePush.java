package dev.satellite.registry.testing;

import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.RegistryClient;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Pushes the images of {@link dev.satellite.testing.TestImages} with a {@link RegistryClient}. */
public final class ImagePush {
  private ImagePush() {}

  /**
   * Pushes {@code image} to {@code repository}: each blob the registry lacks (streamed from its
   * seed, never held), then the manifest by digest and under each tag.
   *
   * @return the manifest digest
   */
  public static Digest push(RegistryClient client, String repository, TestImage image,
      String... tags) {
    for (TestBlob blob : image.blobs()) {
      pushBlob(client, repository, blob);
    }
    return putManifest(client, repository, Manifest.of(image.mediaType(), image.manifest()), tags);
  }

  /** Pushes every child image (by digest), then the index by digest and under each tag. */
  public static Digest push(RegistryClient client, String repository, TestIndex index,
      String... tags) {
    for (TestImage child : index.children()) {
      push(client, repository, child);
    }
    return putManifest(client, repository, Manifest.of(index.mediaType(), index.manifest()), tags);
  }

  /** Uploads {@code blob} unless the repository already has it. */
  public static void pushBlob(RegistryClient client, String repository, TestBlob blob) {
    Digest digest = Digest.parse(blob.digest());
    if (client.headBlob(repository, digest).isPresent()) {
      return;
    }
    try (InputStream in = blob.open()) {
      client.pushBlob(repository, digest, blob.size(), in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Digest putManifest(
      RegistryClient client, String repository, Manifest manifest, String... tags) {
    client.putManifest(repository, manifest.digest().toString(), manifest);
    for (String tag : tags) {
      client.putManifest(repository, tag, manifest);
    }
    return manifest.digest();
  }
}
