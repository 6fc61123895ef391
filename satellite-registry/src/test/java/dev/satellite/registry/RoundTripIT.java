package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.io.InputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Push then pull against a real registry with Basic auth: what goes in comes back unchanged. */
@RequiresRegistry
class RoundTripIT {
  private static DistributionRegistry registry;
  private static RegistryClient client;

  @BeforeAll
  static void start() {
    registry = DistributionRegistry.builder().basicAuth("alice", "alice-secret").start();
    client =
        RegistryClient.builder(registry.baseUrl())
            .credentials(Credentials.basic(registry.username(), registry.password()))
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    registry.close();
  }

  @Test
  void pushedImageIsPulledBackByteForByte() throws Exception {
    TestBlob layer = TestBlob.random(1, 1_500_000);
    TestImage image = TestImages.image(Format.OCI, 1, layer);

    Digest pushed = ImagePush.push(client, "round/app", image, "v1");

    assertThat(pushed.toString()).isEqualTo(image.digest());
    Manifest pulled = client.getManifest("round/app", "v1");
    assertThat(pulled.bytes()).isEqualTo(image.manifest());
    assertThat(pulled.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    try (InputStream in = client.openBlob("round/app", Digest.parse(layer.digest()))) {
      assertThat(in.readAllBytes()).isEqualTo(layer.bytes());
    }
    assertThat(client.headBlob("round/app", Digest.parse(layer.digest())))
        .contains(layer.size());
  }

  @Test
  void pushedTagsAreListed() {
    TestImage image = TestImages.image(Format.DOCKER, 2, TestBlob.random(2, 100));

    ImagePush.push(client, "tags/app", image, "v1", "latest");

    assertThat(client.listTags("tags/app")).containsExactlyInAnyOrder("v1", "latest");
  }

  @Test
  void deletedManifestIsAbsentAfterwards() {
    TestImage image = TestImages.image(Format.OCI, 3, TestBlob.random(3, 100));
    ImagePush.push(client, "gone/app", image, "v1");

    client.deleteManifest("gone/app", Digest.parse(image.digest()));

    assertThat(client.headManifest("gone/app", image.digest())).isEmpty();
  }
}
