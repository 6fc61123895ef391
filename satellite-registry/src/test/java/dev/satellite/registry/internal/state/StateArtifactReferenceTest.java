package dev.satellite.registry.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.SatelliteException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateArtifactReferenceTest {
  private static final String D = "sha256:" + "a".repeat(64);

  private final StateReferenceResolver plainHome =
      new StateReferenceResolver("http://127.0.0.1:5101", Map.of());

  @Test
  void splitsReferenceIntoItsParts() {
    StateReference ref =
        StateReference.parse("https://h.example:8443/satellite/group-state/g1/state:v2");
    assertThat(ref.scheme()).contains("https");
    assertThat(ref.host()).contains("h.example:8443");
    assertThat(ref.repository()).isEqualTo("satellite/group-state/g1/state");
    assertThat(ref.tag()).contains("v2");
    assertThat(ref.digest()).isEmpty();
  }

  @Test
  void tagDefaultsToLatest() {
    assertThat(StateReference.parse("h.example/satellite/x/state").reference()).isEqualTo("latest");
  }

  @Test
  void digestWinsOverTag() {
    assertThat(StateReference.parse("h.example/s/state:latest@" + D).reference()).isEqualTo(D);
  }

  @Test
  void schemeGivenWins() {
    StateReference ref = plainHome.resolve("https://127.0.0.1:5101/satellite/group-state/g1/state");
    assertThat(ref.baseUrl()).isEqualTo("https://127.0.0.1:5101");
    assertThat(plainHome.isHome(ref)).isFalse();
  }

  @Test
  void sameHostWithoutSchemeIsReachedLikeTheHomeRegistry() {
    StateReference ref = plainHome.resolve("127.0.0.1:5101/satellite/group-state/g1/state:latest");
    assertThat(ref.baseUrl()).isEqualTo("http://127.0.0.1:5101");
    assertThat(plainHome.isHome(ref)).isTrue();
  }

  @Test
  void otherHostWithoutSchemeUsesHttps() {
    StateReference ref = plainHome.resolve("harbor.example.com/satellite/group-state/g1/state");
    assertThat(ref.baseUrl()).isEqualTo("https://harbor.example.com");
    assertThat(plainHome.isHome(ref)).isFalse();
  }

  @Test
  void samePortlessHostOnAnotherPortIsAnotherHost() {
    StateReference ref = plainHome.resolve("127.0.0.1:5102/satellite/group-state/g1/state");
    assertThat(ref.baseUrl()).isEqualTo("https://127.0.0.1:5102");
  }

  @Test
  void defaultPortIsTheSameHost() {
    StateReferenceResolver home = new StateReferenceResolver("https://h.example:443", Map.of());
    assertThat(home.homeBaseUrl()).isEqualTo("https://h.example");
    assertThat(home.isHome(home.resolve("h.example/satellite/s/state"))).isTrue();
    assertThat(home.isHome(home.resolve("h.example:443/satellite/s/state"))).isTrue();
  }

  @Test
  void referenceWithoutHostIsOnTheHomeRegistry() {
    StateReference ref = plainHome.resolve("satellite/group-state/g1/state:latest");
    assertThat(ref.baseUrl()).isEqualTo("http://127.0.0.1:5101");
    assertThat(ref.repository()).isEqualTo("satellite/group-state/g1/state");
  }

  @Test
  void hostComparisonIgnoresCase() {
    StateReferenceResolver home = new StateReferenceResolver("http://Edge.Local:5000", Map.of());
    assertThat(home.isHome(home.resolve("EDGE.local:5000/satellite/s/state"))).isTrue();
  }

  @Test
  void hostOverrideRewritesThePublishedHost() {
    StateReferenceResolver resolver =
        new StateReferenceResolver(
            "http://127.0.0.1:5101", Map.of("harbor.example.com", "127.0.0.1:5101"));
    StateReference ref = resolver.resolve("harbor.example.com/satellite/group-state/g1/state");
    assertThat(ref.toString())
        .isEqualTo("http://127.0.0.1:5101/satellite/group-state/g1/state:latest");
    assertThat(resolver.isHome(ref)).isTrue();
  }

  @Test
  void hostOverrideKeepsAnExplicitScheme() {
    StateReferenceResolver resolver =
        new StateReferenceResolver(
            "http://127.0.0.1:5101", Map.of("harbor.example.com", "mirror.local:8443"));
    assertThat(resolver.resolve("https://harbor.example.com/satellite/s/state").baseUrl())
        .isEqualTo("https://mirror.local:8443");
  }

  @Test
  void hostOverrideWrittenWithASchemeReplacesThePublishedSchemeToo() {
    StateReferenceResolver resolver =
        new StateReferenceResolver(
            "http://127.0.0.1:5101",
            Map.of("host.docker.internal:8080", "http://127.0.0.1:5101"));
    StateReference ref =
        resolver.resolve("https://host.docker.internal:8080/satellite/group-state/g1/state:latest");
    assertThat(ref.toString())
        .isEqualTo("http://127.0.0.1:5101/satellite/group-state/g1/state:latest");
    assertThat(resolver.isHome(ref)).isTrue();
    assertThat(resolver.registryBaseUrl("https://host.docker.internal:8080"))
        .isEqualTo("http://127.0.0.1:5101");
    assertThat(resolver.resolve("host.docker.internal:8080/satellite/s/state").baseUrl())
        .isEqualTo("http://127.0.0.1:5101");
  }

  @Test
  void hostOverrideWithAPathIsRejected() {
    assertThatThrownBy(() -> new StateReferenceResolver("http://127.0.0.1:5101",
        Map.of("harbor.example.com", "http://127.0.0.1:5101/v2")))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("host override");
  }

  @Test
  void hostOverrideAppliesToGroupRegistryUrls() {
    StateReferenceResolver resolver =
        new StateReferenceResolver(
            "http://127.0.0.1:5101", Map.of("harbor.example.com", "127.0.0.1:5101"));
    assertThat(resolver.registryBaseUrl("harbor.example.com")).isEqualTo("http://127.0.0.1:5101");
  }

  @Test
  void anyHostOverrideReachesEveryPublishedHostAtOneAddress() {
    StateReferenceResolver resolver =
        new StateReferenceResolver(
            "http://127.0.0.1:5101",
            Map.of(StateReferenceResolver.ANY_HOST, "127.0.0.1:5101", "other.example", "o:1"));
    StateReference ref = resolver.resolve("harbor.example.com/satellite/group-state/g1/state");
    assertThat(ref.baseUrl()).isEqualTo("http://127.0.0.1:5101");
    assertThat(resolver.isHome(ref)).isTrue();
    assertThat(resolver.registryBaseUrl("https://harbor.example.com"))
        .isEqualTo("https://127.0.0.1:5101");
    assertThat(resolver.registryBaseUrl("other.example")).isEqualTo("https://o:1");
  }

  @Test
  void registryUrlIsNormalizedToABaseUrl() {
    assertThat(plainHome.registryBaseUrl("https://Harbor.Example.com/"))
        .isEqualTo("https://harbor.example.com");
    assertThat(plainHome.registryBaseUrl("127.0.0.1:5101")).isEqualTo("http://127.0.0.1:5101");
    assertThat(plainHome.registryBaseUrl("registry.example:5000"))
        .isEqualTo("https://registry.example:5000");
  }

  @Test
  void registryUrlWithAPathIsRejected() {
    assertThatThrownBy(() -> plainHome.registryBaseUrl("https://harbor.example.com/v2/"))
        .isInstanceOf(SatelliteException.class)
        .hasMessage(
            "invalid registry URL 'https://harbor.example.com/v2/': expected "
                + "[scheme://]host[:port] with no path");
  }

  @Test
  void registryUrlWithCredentialsIsRejectedWithoutShowingThem() {
    assertThatThrownBy(() -> plainHome.registryBaseUrl("https://robot:s3cret@harbor.example.com"))
        .hasMessageContaining("credentials must not be embedded")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void unsupportedSchemeIsRejected() {
    assertThatThrownBy(() -> plainHome.resolve("ftp://h.example/satellite/s/state"))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("'ftp://h.example/satellite/s/state'")
        .hasMessageContaining("unsupported scheme 'ftp'");
  }

  @Test
  void uppercaseRepositoryIsRejectedNamingTheReference() {
    assertThatThrownBy(() -> plainHome.resolve("h.example/Satellite/s/state"))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith("invalid state reference 'h.example/Satellite/s/state'")
        .hasMessageContaining("invalid repository name 'Satellite/s/state'");
  }

  @Test
  void secondAtSignMakesTheDigestInvalid() {
    String d = "sha256:" + "c".repeat(64);
    assertThatThrownBy(() -> StateReference.parse("h.example/s/state@" + d + "@" + d))
        .hasMessageContaining("invalid digest '" + d + "@" + d + "'");
  }

  @Test
  void invalidDigestIsRejected() {
    assertThatThrownBy(() -> plainHome.resolve("h.example/s/state@sha256:abc"))
        .hasMessageContaining("invalid digest 'sha256:abc'");
  }

  @Test
  void invalidHostIsRejected() {
    assertThatThrownBy(() -> plainHome.resolve("https://bad_host!/s/state"))
        .hasMessageContaining("invalid registry host 'bad_host!'");
  }

  @Test
  void emptyReferenceIsRejected() {
    assertThatThrownBy(() -> plainHome.resolve(" ")).hasMessage("invalid state reference: empty");
  }

  @Test
  void homeRegistryNeedsAScheme() {
    assertThatThrownBy(() -> new StateReferenceResolver("127.0.0.1:5101", Map.of()))
        .hasMessageContaining("the scheme (http:// or https://) is required");
  }

  @Test
  void printsAsAReference() {
    StateReference ref =
        new StateReference(
            Optional.empty(), Optional.of("h"), "a/b", Optional.empty(), Optional.of(D));
    assertThat(ref.toString()).isEqualTo("h/a/b@" + D);
  }
}
