package dev.satellite.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class TestImagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void randomBlobHasItsSizeAndTheDigestOfItsBytes() {
    TestBlob blob = TestBlob.random(7, 100_003);
    byte[] bytes = blob.bytes();
    assertThat(bytes).hasSize(100_003);
    assertThat(blob.digest()).isEqualTo(TestImages.sha256(bytes));
  }

  @Test
  void sameSeedGivesSameBytesAndOtherSeedDiffers() {
    assertThat(TestBlob.random(1, 5000).bytes()).isEqualTo(TestBlob.random(1, 5000).bytes());
    assertThat(TestBlob.random(2, 5000).digest()).isNotEqualTo(TestBlob.random(1, 5000).digest());
  }

  @Test
  void largeBlobStreamsItsLengthWithoutBeingHeld() throws Exception {
    long size = 200L * 1024 * 1024 + 5;
    long read = 0;
    try (InputStream in = TestBlob.random(3, size).open()) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) != -1; ) {
        read += n;
      }
    }
    assertThat(read).isEqualTo(size);
  }

  @Test
  void manifestReferencesConfigAndLayersWithDigestsAndSizes() throws Exception {
    TestBlob layer = TestBlob.random(5, 1234);
    TestImage image = TestImages.image(TestImages.Format.DOCKER, 9, layer);
    JsonNode m = JSON.readTree(image.manifest());
    assertThat(m.get("mediaType").asText()).isEqualTo(image.mediaType());
    assertThat(m.at("/config/digest").asText()).isEqualTo(image.config().digest());
    assertThat(m.at("/layers/0/digest").asText()).isEqualTo(layer.digest());
    assertThat(m.at("/layers/0/size").asLong()).isEqualTo(1234);
    assertThat(image.digest()).isEqualTo(TestImages.sha256(image.manifest()));
  }

  @Test
  void indexListsEachChildWithItsPlatform() throws Exception {
    TestIndex index = TestImages.multiArch(TestImages.Format.OCI, 11, TestBlob.random(10, 2048));
    JsonNode m = JSON.readTree(index.manifest());
    assertThat(m.get("manifests")).hasSize(2);
    assertThat(m.at("/manifests/0/digest").asText()).isEqualTo(index.children().get(0).digest());
    assertThat(m.at("/manifests/1/platform/architecture").asText()).isEqualTo("arm64");
  }
}
