package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.SatelliteException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final byte[] INDEX =
      json(
          "{\"schemaVersion\":2,\"manifests\":["
              + "{\"mediaType\":\""
              + MediaTypes.OCI_MANIFEST
              + "\",\"digest\":\""
              + D1
              + "\",\"size\":10,"
              + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
              + "{\"mediaType\":\""
              + MediaTypes.OCI_MANIFEST
              + "\",\"digest\":\""
              + D2
              + "\",\"size\":20}]}");

  @Test
  void listsIndexChildrenWithPlatforms() {
    Manifest index = Manifest.of(MediaTypes.OCI_INDEX, INDEX);

    assertThat(index.isIndex()).isTrue();
    assertThat(index.children())
        .containsExactly(
            new Descriptor(
                MediaTypes.OCI_MANIFEST,
                Digest.parse(D1),
                10,
                Optional.of(Platform.parse("linux/arm64/v8"))),
            new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(D2), 20));
  }

  @Test
  void indexHasNoConfig() {
    assertThatThrownBy(() -> Manifest.of(MediaTypes.DOCKER_MANIFEST_LIST, INDEX).config())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is an index");
  }

  @Test
  void keepsBytesExactlyAndHashesThem() {
    byte[] bytes = json("{ \"schemaVersion\" : 2,\n \"manifests\": [] }");
    Manifest manifest = Manifest.of(MediaTypes.OCI_INDEX, bytes);

    assertThat(manifest.bytes()).isEqualTo(bytes);
    assertThat(manifest.digest()).isEqualTo(Digest.of(bytes));
    assertThat(manifest.descriptor().size()).isEqualTo(bytes.length);
  }

  @Test
  void hashesWithSha512WhenAsked() {
    Manifest manifest = Manifest.of(MediaTypes.OCI_INDEX, INDEX, "sha512");

    assertThat(manifest.digest().algorithm()).isEqualTo("sha512");
    assertThat(manifest.digest().hex()).hasSize(128);
  }

  @Test
  void invalidDescriptorIsNamedInTheError() {
    Manifest bad =
        Manifest.of(
            MediaTypes.OCI_MANIFEST,
            json(
                "{\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:zz\",\"size\":1},"
                    + "\"layers\":[]}"));

    assertThatThrownBy(bad::config)
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("config: invalid descriptor: invalid digest 'sha256:zz'");
  }

  @Test
  void invalidJsonIsAClearError() {
    Manifest bad = Manifest.of(MediaTypes.OCI_MANIFEST, json("{not json"));

    assertThatThrownBy(bad::layers)
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("invalid JSON");
  }

  @Test
  void platformVariantIsOptionalWhenMatching() {
    assertThat(Platform.parse("linux/arm64").matches(Platform.parse("linux/arm64/v8"))).isTrue();
    assertThat(Platform.parse("linux/arm64/v7").matches(Platform.parse("linux/arm64/v8")))
        .isFalse();
    assertThat(Platform.parse("linux/amd64")).hasToString("linux/amd64");
  }
}
