package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  private static final String DIGEST = "sha256:" + "a1".repeat(32);

  @Test
  void parsesSchemeHostPortRepositoryAndTag() {
    ImageReference ref =
        ImageReference.parse("http://127.0.0.1:5000/satellite/group-state/g1/state:latest");

    assertThat(ref.scheme()).contains("http");
    assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(ref.repository()).isEqualTo("satellite/group-state/g1/state");
    assertThat(ref.tag()).contains("latest");
    assertThat(ref.digest()).isEmpty();
    assertThat(ref.reference()).isEqualTo("latest");
  }

  @Test
  void parsesReferenceWithoutScheme() {
    ImageReference ref = ImageReference.parse("harbor.example.com/library/nginx:1.27");

    assertThat(ref.scheme()).isEmpty();
    assertThat(ref.registry()).isEqualTo("harbor.example.com");
    assertThat(ref.repository()).isEqualTo("library/nginx");
    assertThat(ref.baseUrl("https")).isEqualTo("https://harbor.example.com");
  }

  @Test
  void digestWinsOverTagAsReference() {
    ImageReference ref = ImageReference.parse("https://h:443/library/app:v1@" + DIGEST);

    assertThat(ref.tag()).contains("v1");
    assertThat(ref.digest()).contains(Digest.parse(DIGEST));
    assertThat(ref.reference()).isEqualTo(DIGEST);
  }

  @Test
  void parsesDigestOnlyReference() {
    ImageReference ref = ImageReference.parse("h:5000/app@" + DIGEST);

    assertThat(ref.tag()).isEmpty();
    assertThat(ref.reference()).isEqualTo(DIGEST);
  }

  @Test
  void portColonIsNotMistakenForATag() {
    ImageReference ref = ImageReference.parse("localhost:5000/app");

    assertThat(ref.registry()).isEqualTo("localhost:5000");
    assertThat(ref.tag()).isEmpty();
    assertThatThrownBy(ref::reference)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no tag and no digest");
  }

  @Test
  void printsBackInCanonicalForm() {
    String value = "https://h:5000/a/b:v1@" + DIGEST;

    assertThat(ImageReference.parse(value)).hasToString(value);
    assertThat(ImageReference.parse(value).withRegistry("edge:5001").registry())
        .isEqualTo("edge:5001");
  }

  @Test
  void rejectsUppercaseRepositoryNamingReference() {
    assertThatThrownBy(() -> ImageReference.parse("h:5000/Library/app:v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid image reference 'h:5000/Library/app:v1'")
        .hasMessageContaining("invalid repository name 'Library/app'");
  }

  @Test
  void rejectsInvalidTag() {
    assertThatThrownBy(() -> ImageReference.parse("h/app:-bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid tag '-bad'");
  }

  @Test
  void rejectsInvalidDigest() {
    assertThatThrownBy(() -> ImageReference.parse("h/app@sha256:123"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid digest");
  }

  /** The first '@' starts the digest; no part may hold another, so a second one is an error. */
  @Test
  void secondAtSignMakesTheDigestInvalid() {
    assertThatThrownBy(() -> ImageReference.parse("h:5000/app@" + DIGEST + "@" + DIGEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid digest");
  }

  /** This parser and the state artifacts' split a reference the same way. */
  @Test
  void splitsAsStateReferencesDo() {
    String value = "https://h.example:5000/a/b:v1@" + DIGEST;
    ImageReference image = ImageReference.parse(value);
    var state = dev.satellite.registry.internal.state.StateReference.parse(value);

    assertThat(image.registry()).isEqualTo(state.host().orElseThrow());
    assertThat(image.repository()).isEqualTo(state.repository());
    assertThat(image.tag()).isEqualTo(state.tag());
    assertThat(image.digest().map(Digest::toString)).isEqualTo(state.digest());
  }

  @Test
  void rejectsMissingRepository() {
    assertThatThrownBy(() -> ImageReference.parse("127.0.0.1:5000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected host[:port]/repository");
  }

  @Test
  void rejectsUnknownScheme() {
    assertThatThrownBy(() -> ImageReference.parse("ftp://h/app:v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid scheme 'ftp'");
  }

  @Test
  void rejectsPortOutOfRange() {
    assertThatThrownBy(
            () ->
                new ImageReference(
                    Optional.empty(), "h:70000", "app", Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port out of range");
  }
}
