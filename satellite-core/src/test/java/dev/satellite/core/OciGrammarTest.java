package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OciGrammarTest {
  private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
  private static final java.util.regex.Pattern REPOSITORY_SPEC =
      java.util.regex.Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final java.util.regex.Pattern TAG_SPEC =
      java.util.regex.Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
  private static final java.util.regex.Pattern DIGEST_SPEC =
      java.util.regex.Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");

  @org.junit.jupiter.api.Test
  void scannersAgreeWithTheSpecificationRegexesOnRandomStrings() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "ab09._-/_A:%";
    int checked = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(12);
      for (int j = 0; j < length; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = b.toString();
      assertThat(OciGrammar.isRepository(s)).as("repository '%s'", s)
          .isEqualTo(REPOSITORY_SPEC.matcher(s).matches());
      assertThat(OciGrammar.isTag(s)).as("tag '%s'", s).isEqualTo(TAG_SPEC.matcher(s).matches());
      checked++;
    }
    for (int i = 0; i < 20_000; i++) {
      String hex = "0123456789abcdefA:";
      StringBuilder b = new StringBuilder(random.nextBoolean() ? "sha256:" : "sha512:");
      int length = random.nextBoolean() ? (random.nextBoolean() ? 64 : 128) : random.nextInt(130);
      for (int j = 0; j < length; j++) {
        b.append(hex.charAt(random.nextInt(random.nextInt(10) == 0 ? hex.length() : 16)));
      }
      String s = b.toString();
      assertThat(OciGrammar.isDigest(s)).as("digest '%s'", s)
          .isEqualTo(DIGEST_SPEC.matcher(s).matches());
    }
    assertThat(checked).isEqualTo(200_000);
  }
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
