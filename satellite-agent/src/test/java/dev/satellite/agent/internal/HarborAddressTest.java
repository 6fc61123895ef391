package dev.satellite.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.core.SatelliteException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Harbor published under a name the node cannot reach: Go's HARBOR_REGISTRY_URL, host overrides. */
class HarborAddressTest {
  private static final Registration INTERNAL = new Registration(
      "http://host.docker.internal:8080/satellite/satellite-state/edge-1/state:latest",
      "http://host.docker.internal:8080", "robot$edge-1", "s3cret");

  @Test
  void harborRegistryUrlReplacesSchemeAndHostOfAuthUrlAndOfReferencesOnThatHost() {
    HarborAddress address = HarborAddress.of(INTERNAL, Optional.of("https://10.0.0.5:8443/"),
        Map.of());

    assertThat(address.upstreamBaseUrl()).isEqualTo("https://10.0.0.5:8443");
    assertThat(address.stateOverrides())
        .containsExactly(Map.entry("host.docker.internal:8080", "https://10.0.0.5:8443"));
  }

  @Test
  void aStateReferenceOnAnotherHostThanAuthUrlIsRewrittenToo() {
    Registration split = new Registration(
        "harbor-state.internal/satellite/satellite-state/edge-1/state:latest",
        "https://harbor.internal", "robot$edge-1", "s3cret");

    HarborAddress address = HarborAddress.of(split, Optional.of("http://127.0.0.1:5000"),
        Map.of());

    assertThat(address.stateOverrides()).containsOnly(
        Map.entry("harbor.internal", "http://127.0.0.1:5000"),
        Map.entry("harbor-state.internal", "http://127.0.0.1:5000"));
  }

  @Test
  void withoutItHostOverridesApplyToAuthUrlKeepingItsScheme() {
    assertThat(HarborAddress.of(INTERNAL, Optional.empty(),
        Map.of("host.docker.internal:8080", "127.0.0.1:5000")).upstreamBaseUrl())
        .isEqualTo("http://127.0.0.1:5000");
    assertThat(HarborAddress.of(INTERNAL, Optional.empty(), Map.of("*", "10.1.1.1"))
        .upstreamBaseUrl()).isEqualTo("http://10.1.1.1");
    assertThat(HarborAddress.of(INTERNAL, Optional.empty(), Map.of("other:1", "10.1.1.1"))
        .upstreamBaseUrl()).isEqualTo("http://host.docker.internal:8080");
  }

  @Test
  void anUnusableHarborRegistryUrlIsNamed() {
    assertThatThrownBy(() -> HarborAddress.of(INTERNAL, Optional.of("ftp://h"), Map.of()))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("the Harbor registry URL 'ftp://h' is not an http(s) URL");
  }
}
