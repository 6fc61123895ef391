package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
  private static final String EMPTY_SHA256 =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void parsesSha256IntoAlgorithmAndHex() {
    Digest digest = Digest.parse(EMPTY_SHA256);

    assertThat(digest.algorithm()).isEqualTo("sha256");
    assertThat(digest.hex()).hasSize(64).startsWith("e3b0c442");
    assertThat(digest).hasToString(EMPTY_SHA256);
  }

  @Test
  void parsesSha512() {
    String value = "sha512:" + "ab".repeat(64);

    assertThat(Digest.parse(value).algorithm()).isEqualTo("sha512");
  }

  @Test
  void computesSha256OfContent() {
    assertThat(Digest.of(new byte[0])).hasToString(EMPTY_SHA256);
    assertThat(Digest.of("hello".getBytes(StandardCharsets.UTF_8)))
        .hasToString("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  }

  @Test
  void rejectsUppercaseHexNamingTheValue() {
    assertThatThrownBy(() -> Digest.parse("sha256:" + "AB".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid digest 'sha256:ABAB");
  }

  @Test
  void rejectsUnsupportedAlgorithm() {
    assertThatThrownBy(() -> Digest.parse("md5:" + "ab".repeat(16)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sha256:<64 lowercase hex digits>");
  }

  @Test
  void rejectsWrongLengthInRecordConstructor() {
    assertThatThrownBy(() -> new Digest("sha256", "abc"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void digestsAreEqualExactlyWhenAlgorithmAndHexAre() {
    Digest digest = Digest.parse("sha256:" + "a".repeat(64));

    assertThat(digest).isEqualTo(new Digest("sha256", "a".repeat(64)))
        .hasSameHashCodeAs(new Digest("sha256", "a".repeat(64)));
    assertThat(digest).isNotEqualTo(Digest.parse("sha256:" + "b".repeat(64)))
        .isNotEqualTo(Digest.parse("sha512:" + "a".repeat(128)))
        .isNotEqualTo(digest.toString());
  }
}
