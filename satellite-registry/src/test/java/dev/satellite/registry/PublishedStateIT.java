package dev.satellite.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Entity;
import dev.satellite.core.GroupState;
import dev.satellite.core.SatelliteState;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestCertificates;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State artifacts published with {@link StatePublisher} to a real registry read back with {@link
 * OciStateSource} exactly as published.
 */
@RequiresRegistry
class PublishedStateIT {
  private static final byte[] CONFIG =
      "{\"interval\":\"30s\",\"zot\":{\"port\":5000}}".getBytes(UTF_8);

  private static DistributionRegistry registry;
  private static RegistryClient client;
  private static String app1;
  private static String app2;

  @BeforeAll
  static void start() {
    registry = DistributionRegistry.builder().start();
    client = RegistryClient.builder(registry.baseUrl()).build();
    app1 =
        push(
            client,
            "library/app1",
            TestImages.image(Format.OCI, 1, TestBlob.random(11, 2048)),
            "1.0",
            "latest");
    app2 =
        push(
            client,
            "proj/app2",
            TestImages.image(Format.DOCKER, 2, TestBlob.random(12, 2048)),
            "v1");
  }

  @AfterAll
  static void stop() {
    client.close();
    registry.close();
  }

  @Test
  void publishedStatesReadBackAsPublished() {
    StatePublisher publisher = new StatePublisher(client);
    StatePublication group =
        publisher.publishGroup(
            "g1",
            registry.baseUrl(),
            List.of(
                StateImage.of("library/app1", "1.0", "latest"), StateImage.of("proj/app2", "v1")));
    StatePublication config = publisher.publishConfig("edge-1", CONFIG);
    StatePublication satellite =
        publisher.publishSatellite(
            "edge-1", List.of(group.reference()), Optional.of(config.reference()));

    try (OciStateSource source = new OciStateSource(client, satellite.reference())) {
      assertThat(source.fetchSatelliteState())
          .isEqualTo(
              new SatelliteState(List.of(group.reference()), Optional.of(config.reference())));
      assertThat(source.fetchGroup(group.reference()))
          .isEqualTo(
              new GroupState(
                  group.reference(),
                  registry.baseUrl(),
                  List.of(
                      new Entity("library/app1", "1.0", app1),
                      new Entity("library/app1", "latest", app1),
                      new Entity("proj/app2", "v1", app2))));
      assertThat(source.configDigest(config.reference())).isEqualTo(config.digest().toString());
      assertThat(source.fetchConfig(config.reference())).isEqualTo(CONFIG);
    }
  }

  @Test
  void timestampTagPointsAtTheSameManifestAsLatest() {
    StatePublication config = new StatePublisher(client).publishConfig("edge-2", CONFIG);
    String repository = "satellite/config-state/edge-2/state";
    assertThat(client.headManifest(repository, config.tags().get(1)).orElseThrow().digest())
        .isEqualTo(config.digest());
    assertThat(client.headManifest(repository, "latest").orElseThrow().digest())
        .isEqualTo(config.digest());
  }

  @Test
  void dockerV2Schema2StateArtifactReadsBack() {
    StatePublisher publisher = StatePublisher.builder(client).dockerMediaTypes().build();
    StatePublication group =
        publisher.publishGroup(
            "g-docker", registry.baseUrl(), List.of(StateImage.of("proj/app2", "v1")));
    StatePublication satellite =
        publisher.publishSatellite("edge-docker", List.of(group.reference()), Optional.empty());

    assertThat(client.getManifest("satellite/group-state/g-docker/state", "latest").mediaType())
        .isEqualTo(MediaTypes.DOCKER_MANIFEST);
    try (OciStateSource source = new OciStateSource(client, satellite.reference())) {
      assertThat(source.fetchSatelliteState().groupRefs()).containsExactly(group.reference());
      assertThat(source.fetchGroup(group.reference()).entities())
          .containsExactly(new Entity("proj/app2", "v1", app2));
    }
  }

  @Test
  void hostOverrideReachesThePublishedNameAtTheUpstream() {
    StatePublisher publisher = new StatePublisher(client);
    publisher.publishGroup(
        "g-named",
        "harbor.example.com",
        List.of(StateImage.pinned("proj/app2", Digest.parse(app2), "v1")));
    String groupRef = "harbor.example.com/satellite/group-state/g-named/state:latest";
    publisher.publishSatellite("edge-named", List.of(groupRef), Optional.empty());

    try (OciStateSource source =
        OciStateSource.builder(
                client, "harbor.example.com/satellite/satellite-state/edge-named/state")
            .hostOverride("harbor.example.com", registry.hostPort())
            .build()) {
      GroupState group = source.fetchGroup(source.fetchSatelliteState().groupRefs().get(0));
      assertThat(group.ref()).isEqualTo(groupRef);
      assertThat(group.sourceRegistry()).isEqualTo(registry.baseUrl());
      assertThat(group.entities()).containsExactly(new Entity("proj/app2", "v1", app2));
    }
  }

  @Test
  void securedUpstreamCredentialsAndTlsApplyToReferencesOnItsHost(@TempDir Path dir) {
    try (DistributionRegistry secured =
            DistributionRegistry.builder()
                .basicAuth("robot", "robot-secret")
                .tls(TestCertificates.authority(dir, "state-ca"))
                .start();
        RegistryClient securedClient =
            RegistryClient.builder(secured.baseUrl())
                .credentials(Credentials.basic(secured.username(), secured.password()))
                .tls(TlsOptions.builder().trustedCertificates(secured.caCertificate()).build())
                .build()) {
      String digest =
          push(
              securedClient,
              "team/app",
              TestImages.image(Format.OCI, 3, TestBlob.random(13, 512)),
              "v3");
      StatePublisher publisher = new StatePublisher(securedClient);
      StatePublication group =
          publisher.publishGroup(
              "g1", secured.hostPort(), List.of(StateImage.of("team/app", "v3")));
      StatePublication satellite =
          publisher.publishSatellite("edge-1", List.of(group.reference()), Optional.empty());

      try (OciStateSource source = new OciStateSource(securedClient, satellite.reference())) {
        GroupState read = source.fetchGroup(source.fetchSatelliteState().groupRefs().get(0));
        assertThat(read.sourceRegistry()).isEqualTo(secured.baseUrl());
        assertThat(read.entities()).containsExactly(new Entity("team/app", "v3", digest));
      }
    }
  }

  private static String push(
      RegistryClient to, String repository, TestImage image, String... tags) {
    return ImagePush.push(to, repository, image, tags).toString();
  }
}
