package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CopyRequestTest {
  private static final Digest DIGEST = Digest.of(new byte[] {1});
  private final RegistryClient upstream = RegistryClient.builder("http://127.0.0.1:1").build();
  private final RegistryClient edge = RegistryClient.builder("http://127.0.0.1:2").build();

  @Test
  void pairsEachClientWithItsRepository() {
    CopyRequest request =
        CopyRequest.of(upstream, "library/app", DIGEST).to(edge, "mirror/app").tags(List.of("v1"));

    assertThat(request.source()).isSameAs(upstream);
    assertThat(request.sourceRepository()).isEqualTo("library/app");
    assertThat(request.destination()).containsSame(edge);
    assertThat(request.destinationRepository()).contains("mirror/app");
    assertThat(request.tags()).containsExactly("v1");
    assertThat(request)
        .hasToString("CopyRequest[127.0.0.1:1/library/app@" + DIGEST
            + " -> 127.0.0.1:2/mirror/app as v1]");
  }

  @Test
  void isImmutable() {
    CopyRequest bare = CopyRequest.of(upstream, "library/app", DIGEST);

    bare.to(edge, "library/app").tags(List.of("v1"));

    assertThat(bare.destination()).isEmpty();
    assertThat(bare.tags()).isEmpty();
  }

  @Test
  void rejectsInvalidRepositoriesAndTagsAsTheyAreGiven() {
    assertThatThrownBy(() -> CopyRequest.of(upstream, "Library/App", DIGEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Library/App");
    CopyRequest request = CopyRequest.of(upstream, "library/app", DIGEST);
    assertThatThrownBy(() -> request.to(edge, "bad//name"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> request.tags(List.of("-bad")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-bad");
  }

  @Test
  void copyWithoutDestinationFailsBeforeAnyRequest() {
    try (ImageCopier copier = ImageCopier.builder().build()) {
      assertThatThrownBy(() -> copier.copy(CopyRequest.of(upstream, "library/app", DIGEST)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has no destination");
    }
  }
}
