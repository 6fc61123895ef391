package dev.satellite.agent.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Precedence for how Ground Control and Harbor are reached: the builder (command line), then the
 * config the satellite starts with, then the defaults; {@code tls} and {@code use_unsecure} as Go.
 */
class FleetTransportTest {
  private static final TlsOptions COMMAND_LINE =
      TlsOptions.builder().trustedCertificates(Path.of("/etc/satellite/gc-ca.pem")).build();

  private static Fleet.Settings builder(String url, TlsOptions groundControl, TlsOptions upstream,
      Duration interval, Optional<String> harbor) {
    return new Fleet.Settings(url, Optional.of("token"), groundControl, upstream, interval,
        Optional.empty(), harbor, Map.of(), null, null, () -> true, new FleetListener() {},
        HttpObserver.NONE, null);
  }

  private static SatelliteConfig config(String appConfig) {
    SatelliteConfig.Reading reading = SatelliteConfig.read(
        ("{\"app_config\": " + appConfig + "}").getBytes(UTF_8), SatelliteConfig.defaults());
    assertThat(reading.problems()).isEmpty();
    return reading.config();
  }

  @Test
  void withNothingSetEverythingTakesItsDefault() {
    FleetTransport transport = FleetTransport.resolve(
        builder("gc.example.com", null, null, null, Optional.empty()), SatelliteConfig.defaults());

    assertThat(transport.groundControlUrl()).isEqualTo("gc.example.com"); // HTTPS
    assertThat(transport.groundControlTls().insecureSkipVerify()).isFalse();
    assertThat(transport.groundControlTls().trustedCertificates()).isEmpty();
    assertThat(transport.upstreamTls().insecureSkipVerify()).isFalse();
    assertThat(transport.registrationInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(transport.harborRegistryUrl()).isEmpty();
  }

  @Test
  void useUnsecureSkipsVerificationAndMakesAUrlWithoutSchemePlainHttpForGroundControlAndHarbor() {
    FleetTransport transport = FleetTransport.resolve(
        builder("gc.example.com:8080", null, null, null, Optional.empty()),
        config("{\"use_unsecure\": true, \"tls\": {\"ca_file\": \"/ca.pem\"}}"));

    assertThat(transport.groundControlUrl()).isEqualTo("http://gc.example.com:8080");
    assertThat(transport.groundControlTls().insecureSkipVerify()).isTrue();
    assertThat(transport.upstreamTls().insecureSkipVerify()).isTrue();
  }

  @Test
  void aSchemeWrittenOutStaysWhateverUseUnsecureSays() {
    assertThat(FleetTransport.resolve(
        builder("https://gc.example.com", null, null, null, Optional.empty()),
        config("{\"use_unsecure\": true}")).groundControlUrl())
        .isEqualTo("https://gc.example.com");
  }

  @Test
  void theConfigsTlsFilesAreForGroundControlAndHarbor() {
    FleetTransport transport = FleetTransport.resolve(
        builder("gc.example.com", null, null, null, Optional.empty()),
        config("{\"tls\": {\"ca_file\": \"/ca.pem\", \"cert_file\": \"/c.pem\","
            + " \"key_file\": \"/k.pem\"}}"));

    for (TlsOptions tls : new TlsOptions[] {transport.groundControlTls(),
        transport.upstreamTls()}) {
      assertThat(tls.trustedCertificates()).contains(Path.of("/ca.pem"));
      assertThat(tls.clientCertificate()).contains(Path.of("/c.pem"));
      assertThat(tls.clientKey()).contains(Path.of("/k.pem"));
      assertThat(tls.insecureSkipVerify()).isFalse();
    }
  }

  @Test
  void tlsSetOnTheCommandLineWinsOverTheConfigsForEachSideOnItsOwn() {
    FleetTransport transport = FleetTransport.resolve(
        builder("gc.example.com", COMMAND_LINE, null, null, Optional.empty()),
        config("{\"tls\": {\"skip_verify\": true}}"));

    assertThat(transport.groundControlTls()).isSameAs(COMMAND_LINE);
    assertThat(transport.upstreamTls().insecureSkipVerify()).isTrue();
  }

  @Test
  void intervalAndHarborAddressFromTheCommandLineWinOverTheConfigsWhichWinOverTheDefaults() {
    SatelliteConfig config = config("{\"register_satellite_interval\": \"@every 00h00m20s\","
        + " \"harbor_registry_url\": \"http://10.0.0.5:8080\"}");

    FleetTransport fromConfig = FleetTransport.resolve(
        builder("gc.example.com", null, null, null, Optional.empty()), config);
    FleetTransport fromCommandLine = FleetTransport.resolve(builder("gc.example.com", null, null,
        Duration.ofSeconds(1), Optional.of("https://harbor.example.com")), config);

    assertThat(fromConfig.registrationInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(fromConfig.harborRegistryUrl()).contains("http://10.0.0.5:8080");
    assertThat(fromCommandLine.registrationInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(fromCommandLine.harborRegistryUrl()).contains("https://harbor.example.com");
  }

  @Test
  void aCertificateWithoutItsKeyIsRefusedNamingTheFields() {
    assertThatThrownBy(() -> FleetTransport.resolve(
        builder("gc.example.com", null, null, null, Optional.empty()),
        config("{\"tls\": {\"cert_file\": \"/c.pem\"}}")))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith("app_config.tls.cert_file and tls.key_file go together");
  }
}
