package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The referrers API and {@code OCI-Subject} as {@link RegistryClient} speaks them. */
class ReferrersClientTest extends MockServerTest {
  private static final Digest SUBJECT = Digest.of("image".getBytes(StandardCharsets.UTF_8));
  private static final Digest SBOM = Digest.of("sbom".getBytes(StandardCharsets.UTF_8));
  private static final Digest SIG = Digest.of("sig".getBytes(StandardCharsets.UTF_8));

  private RegistryClient client() {
    return ClientTestSupport.clientFor(server, new ClientTestSupport.RecordingSleeper())
        .maxRetries(0)
        .build();
  }

  private static String entry(Digest digest, String artifactType) {
    return "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + digest
        + "\",\"size\":321,\"artifactType\":\"" + artifactType
        + "\",\"annotations\":{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"}}";
  }

  private static String page(String... entries) {
    return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        + "\"manifests\":[" + String.join(",", entries) + "]}";
  }

  @Test
  void asksForOneArtifactTypeAndReadsThatTheRegistryFilteredIt() throws Exception {
    server.enqueue(new MockResponse.Builder()
        .setHeader("Content-Type", "application/vnd.oci.image.index.v1+json")
        .setHeader("OCI-Filters-Applied", "artifactType")
        .body(page(entry(SBOM, "application/spdx+json")))
        .build());

    ReferrerList list =
        client().listReferrers(REPO, SUBJECT, Optional.of("application/spdx+json")).orElseThrow();

    assertThat(list.filtersApplied()).isTrue();
    assertThat(list.referrers()).singleElement().satisfies(r -> {
      assertThat(r.digest()).isEqualTo(SBOM);
      assertThat(r.artifactType()).contains("application/spdx+json");
      assertThat(r.descriptor().size()).isEqualTo(321);
      assertThat(r.annotations())
          .containsEntry("org.opencontainers.image.created", "2026-01-01T00:00:00Z");
    });
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/v2/library/app/referrers/" + SUBJECT);
    assertThat(request.getUrl().queryParameter("artifactType")).isEqualTo("application/spdx+json");
    assertThat(request.getHeaders().get("Accept"))
        .isEqualTo("application/vnd.oci.image.index.v1+json");
  }

  @Test
  void aFilterTheRegistryDidNotApplyIsReportedAsNotApplied() {
    server.enqueue(new MockResponse.Builder()
        .body(page(entry(SBOM, "application/spdx+json"), entry(SIG, "application/x-sig")))
        .build());

    ReferrerList list =
        client().listReferrers(REPO, SUBJECT, Optional.of("application/spdx+json")).orElseThrow();

    assertThat(list.filtersApplied()).isFalse();
    assertThat(list.referrers()).hasSize(2);
  }

  @Test
  void followsLinkPagesAndDigestsTheWholeAnswer() throws Exception {
    String first = page(entry(SBOM, "application/spdx+json"));
    String second = page(entry(SIG, "application/x-sig"));
    server.enqueue(new MockResponse.Builder()
        .setHeader("Link", "</v2/library/app/referrers/" + SUBJECT + "?n=1&last=x>; rel=\"next\"")
        .body(first)
        .build());
    server.enqueue(new MockResponse.Builder().body(second).build());

    ReferrerList list = client().listReferrers(REPO, SUBJECT, Optional.empty()).orElseThrow();

    assertThat(list.referrers()).extracting(Referrer::digest).containsExactly(SBOM, SIG);
    assertThat(list.answerDigest())
        .isEqualTo(Digest.of((first + second).getBytes(StandardCharsets.UTF_8)));
    server.takeRequest();
    RecordedRequest next = server.takeRequest();
    assertThat(next.getUrl().queryParameter("last")).isEqualTo("x");
  }

  @Test
  void paginationThatLoopsIsRefused() {
    String self = "</v2/library/app/referrers/" + SUBJECT + "?last=a>; rel=\"next\"";
    for (int i = 0; i < 2; i++) {
      server.enqueue(new MockResponse.Builder().setHeader("Link", self).body(page()).build());
    }

    assertThatThrownBy(() -> client().listReferrers(REPO, SUBJECT, Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("referrers of library/app@" + SUBJECT)
        .hasMessageContaining("pagination loops back");
  }

  @Test
  void registryWithoutTheApiAnswers404AndHasNoList() {
    server.enqueue(ClientTestSupport.status(404));

    assertThat(client().listReferrers(REPO, SUBJECT, Optional.empty())).isEmpty();
  }

  @Test
  void answerThatIsNotAnIndexIsRefusedNamingTheCall() {
    server.enqueue(new MockResponse.Builder().body("{\"tags\":[]}").build());

    assertThatThrownBy(() -> client().listReferrers(REPO, SUBJECT, Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("GET referrers of library/app@" + SUBJECT)
        .hasMessageContaining("not an image index");
  }

  @Test
  void putOfAReferrerTellsWhetherTheRegistrySaidOciSubject() throws Exception {
    Manifest referrer = Manifest.of(MediaTypes.OCI_MANIFEST,
        ("{\"schemaVersion\":2,\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
            + "\",\"digest\":\"" + SUBJECT + "\",\"size\":5}}").getBytes(StandardCharsets.UTF_8));
    server.enqueue(new MockResponse.Builder().code(201)
        .setHeader("Docker-Content-Digest", referrer.digest().toString())
        .setHeader("OCI-Subject", SUBJECT.toString())
        .build());
    server.enqueue(new MockResponse.Builder().code(201).build());
    RegistryClient client = client();

    assertThat(client.putReferrer(REPO, referrer)).isTrue();
    assertThat(client.putReferrer(REPO, referrer)).isFalse();

    RecordedRequest put = server.takeRequest();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getUrl().encodedPath())
        .isEqualTo("/v2/library/app/manifests/" + referrer.digest());
    assertThat(put.getBody().toByteArray()).isEqualTo(referrer.bytes());
    assertThat(put.getHeaders().get("Content-Type")).startsWith(MediaTypes.OCI_MANIFEST);
  }
}
