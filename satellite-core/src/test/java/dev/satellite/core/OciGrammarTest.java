package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OciGrammarTest {
  private static final String SHA256 = "sha256:" + "a".repeat(64);

  @ParameterizedTest
  @ValueSource(strings = {"a", "library/nginx", "my-org/my__app", "a.b/c_d/e--f", "x0/y1/z2"})
  void acceptsValidRepositories(String name) {
    assertThat(OciGrammar.requireRepository(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "Library/nginx", "a//b", "/a", "a/", "a/../b", "a%2Fb", "-a", "a-", "a___b",
          "a b", "a:b"})
  void rejectsInvalidRepositoriesNamingTheValue(String name) {
    assertThatThrownBy(() -> OciGrammar.requireRepository(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'")
        .hasMessageContaining("lowercase path components");
  }

  @ParameterizedTest
  @ValueSource(strings = {"latest", "v1.2.3", "_x", "A-b.c_d"})
  void acceptsValidTags(String tag) {
    assertThat(OciGrammar.isTag(tag)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".v1", "-v1", "v1/2", "v:1"})
  void rejectsInvalidTags(String tag) {
    assertThatThrownBy(() -> OciGrammar.requireTag(tag)).hasMessageContaining("invalid tag");
  }

  @org.junit.jupiter.api.Test
  void tagsLongerThan128AreRejected() {
    assertThat(OciGrammar.isTag("a".repeat(128))).isTrue();
    assertThat(OciGrammar.isTag("a".repeat(129))).isFalse();
  }

  @org.junit.jupiter.api.Test
  void repositoriesLongerThan255AreRejected() {
    assertThat(OciGrammar.isRepository("a".repeat(255))).isTrue();
    assertThat(OciGrammar.isRepository("a".repeat(256))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
  void acceptsSha256(String digest) {
    assertThat(OciGrammar.isDigest(digest)).isTrue();
    assertThat(OciGrammar.isDigest("sha512:" + "f".repeat(128))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"sha256:abc", "sha256:" + "A", "md5:d41d8cd98f00b204e9800998ecf8427e",
          "sha512:aa", "sha256" , ""})
  void rejectsInvalidDigests(String digest) {
    assertThatThrownBy(() -> OciGrammar.requireDigest(digest))
        .hasMessageContaining("invalid digest")
        .hasMessageContaining("sha256:<64 lowercase hex digits>");
  }

  @org.junit.jupiter.api.Test
  void rejectsUppercaseHexAndWrongLength() {
    assertThat(OciGrammar.isDigest("sha256:" + "A".repeat(64))).isFalse();
    assertThat(OciGrammar.isDigest("sha256:" + "a".repeat(63))).isFalse();
    assertThat(OciGrammar.isDigest("sha256:" + "a".repeat(65))).isFalse();
    assertThat(OciGrammar.isDigest(SHA256)).isTrue();
    assertThat(OciGrammar.isDigest(null)).isFalse();
  }
}
