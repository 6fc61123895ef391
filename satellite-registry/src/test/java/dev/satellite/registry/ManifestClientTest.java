package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static dev.satellite.registry.ClientTestSupport.bytes;
import static dev.satellite.registry.ClientTestSupport.clientFor;
import static dev.satellite.registry.ClientTestSupport.ociError;
import static dev.satellite.registry.ClientTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManifestClientTest extends MockServerTest {
  private static final byte[] MANIFEST_JSON =
      ("{\"schemaVersion\":2,\"mediaType\":\""
              + MediaTypes.OCI_MANIFEST
              + "\","
              + "\"config\":{\"mediaType\":\""
              + MediaTypes.OCI_CONFIG
              + "\",\"digest\":\"sha256:"
              + "c".repeat(64)
              + "\",\"size\":12},"
              + "\"layers\":[{\"mediaType\":\""
              + MediaTypes.OCI_LAYER_GZIP
              + "\",\"digest\":\"sha256:"
              + "1".repeat(64)
              + "\",\"size\":345}]}")
          .getBytes(StandardCharsets.UTF_8);

  private RegistryClient client;

  @BeforeEach
  void createClient() {
    client = clientFor(server, new ClientTestSupport.RecordingSleeper()).maxRetries(0).build();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private static MockResponse manifestResponse(byte[] body, String type) {
    return new MockResponse.Builder()
        .setHeader("Content-Type", type)
        .setHeader("Docker-Content-Digest", Digest.of(body).toString())
        .body(new Buffer().write(body))
        .build();
  }

  @Test
  void headManifestReturnsDescriptorFromHeaders() throws Exception {
    Digest digest = Digest.of(MANIFEST_JSON);
    server.enqueue(
        new MockResponse.Builder()
            .setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
            .setHeader("Docker-Content-Digest", digest.toString())
            .setHeader("Content-Length", MANIFEST_JSON.length)
            .build());

    assertThat(client.headManifest(REPO, "v1"))
        .contains(new Descriptor(MediaTypes.OCI_MANIFEST, digest, MANIFEST_JSON.length));
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("HEAD");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/library/app/manifests/v1");
  }

  @Test
  void headManifestIsEmptyOnlyOn404() {
    server.enqueue(ociError(404, "MANIFEST_UNKNOWN", "manifest unknown"));

    assertThat(client.headManifest(REPO, "v1")).isEmpty();
  }

  @Test
  void headManifestUnauthorizedIsAnErrorNotAbsent() {
    server.enqueue(status(401));

    assertThatThrownBy(() -> client.headManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("HEAD manifest library/app:v1 at ")
        .hasMessageContaining(": 401 Unauthorized")
        .satisfies(e -> assertThat(((RegistryException) e).statusCode()).hasValue(401));
  }

  @Test
  void headManifestForbiddenIsAnError() {
    server.enqueue(status(403));

    assertThatThrownBy(() -> client.headManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("403 Forbidden");
  }

  @Test
  void headManifestWithoutDigestHeaderFallsBackToGet() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
            .setHeader("Content-Length", MANIFEST_JSON.length)
            .build());
    server.enqueue(manifestResponse(MANIFEST_JSON, MediaTypes.OCI_MANIFEST));

    assertThat(client.headManifest(REPO, "v1").orElseThrow().digest())
        .isEqualTo(Digest.of(MANIFEST_JSON));
    assertThat(server.takeRequest().getMethod()).isEqualTo("HEAD");
    assertThat(server.takeRequest().getMethod()).isEqualTo("GET");
  }

  @Test
  void headManifestWithGarbledDigestHeaderFallsBackToGet() {
    server.enqueue(
        new MockResponse.Builder()
            .setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
            .setHeader("Docker-Content-Digest", "sha256:not-hex")
            .setHeader("Content-Length", MANIFEST_JSON.length)
            .build());
    server.enqueue(manifestResponse(MANIFEST_JSON, MediaTypes.OCI_MANIFEST));

    assertThat(client.headManifest(REPO, "v1").orElseThrow().digest())
        .isEqualTo(Digest.of(MANIFEST_JSON));
  }

  @Test
  void putManifestRejectsGarbledReportedDigest() {
    server.enqueue(
        new MockResponse.Builder().code(201).setHeader("Docker-Content-Digest", "bogus").build());
    Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, MANIFEST_JSON);

    assertThatThrownBy(() -> client.putManifest(REPO, "v1", manifest))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("invalid Docker-Content-Digest: bogus");
  }

  @Test
  void getManifestAcceptsAllFourManifestTypes() throws Exception {
    server.enqueue(manifestResponse(MANIFEST_JSON, MediaTypes.OCI_MANIFEST));

    client.getManifest(REPO, "v1");

    String accept = server.takeRequest().getHeaders().get("Accept");
    assertThat(accept)
        .contains(
            MediaTypes.OCI_MANIFEST,
            MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST);
  }

  @Test
  void getManifestKeepsBytesAndReadsDescriptors() {
    server.enqueue(manifestResponse(MANIFEST_JSON, MediaTypes.OCI_MANIFEST + "; charset=utf-8"));

    Manifest manifest = client.getManifest(REPO, "v1");

    assertThat(manifest.bytes()).isEqualTo(MANIFEST_JSON);
    assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(manifest.digest()).isEqualTo(Digest.of(MANIFEST_JSON));
    assertThat(manifest.config().size()).isEqualTo(12);
    assertThat(manifest.layers()).extracting(Descriptor::size).containsExactly(345L);
    assertThat(manifest.blobs()).hasSize(2);
  }

  @Test
  void getManifestByDigestVerifiesContent() {
    Digest claimed = Digest.parse("sha256:" + "e".repeat(64));
    server.enqueue(manifestResponse(MANIFEST_JSON, MediaTypes.OCI_MANIFEST));

    assertThatThrownBy(() -> client.getManifest(REPO, claimed.toString()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("GET manifest library/app@" + claimed)
        .hasMessageContaining("but content hashes to " + Digest.of(MANIFEST_JSON));
  }

  @Test
  void getManifestByMatchingDigestSucceeds() {
    server.enqueue(manifestResponse(MANIFEST_JSON, MediaTypes.OCI_MANIFEST));

    Manifest manifest = client.getManifest(REPO, Digest.of(MANIFEST_JSON).toString());

    assertThat(manifest.digest()).isEqualTo(Digest.of(MANIFEST_JSON));
  }

  @Test
  void getManifestRejectsDeclaredOversizedBody() {
    byte[] big = new byte[RegistryClient.MAX_MANIFEST_BYTES + 1];
    server.enqueue(
        bytes(200, big).newBuilder().setHeader("Content-Type", MediaTypes.OCI_MANIFEST).build());

    assertThatThrownBy(() -> client.getManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("manifest is " + big.length + " bytes, over the limit of 4194304");
  }

  @Test
  void getManifestRejectsOversizedChunkedBodyWhileReading() {
    Buffer big = new Buffer().write(new byte[RegistryClient.MAX_MANIFEST_BYTES + 10]);
    server.enqueue(
        new MockResponse.Builder()
            .setHeader("Content-Type", MediaTypes.OCI_MANIFEST)
            .chunkedBody(big, 64 * 1024)
            .build());

    assertThatThrownBy(() -> client.getManifest(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("manifest is more than 4194304 bytes");
  }

  @Test
  void getManifestUsesJsonMediaTypeWhenContentTypeIsGeneric() {
    server.enqueue(manifestResponse(MANIFEST_JSON, "application/json"));

    assertThat(client.getManifest(REPO, "v1").mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
  }

  @Test
  void putManifestSendsRawBytesWithOwnMediaType() throws Exception {
    Manifest manifest = Manifest.of(MediaTypes.DOCKER_MANIFEST, MANIFEST_JSON);
    server.enqueue(
        new MockResponse.Builder()
            .code(201)
            .setHeader("Docker-Content-Digest", manifest.digest().toString())
            .build());

    assertThat(client.putManifest(REPO, "v1", manifest)).isEqualTo(manifest.digest());
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("PUT");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/library/app/manifests/v1");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(request.getBody().toByteArray()).isEqualTo(MANIFEST_JSON);
  }

  @Test
  void putManifestRejectsOtherDigestReportedByRegistry() {
    Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, MANIFEST_JSON);
    server.enqueue(
        new MockResponse.Builder()
            .code(201)
            .setHeader("Docker-Content-Digest", "sha256:" + "f".repeat(64))
            .build());

    assertThatThrownBy(() -> client.putManifest(REPO, "v1", manifest))
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void putManifestErrorCarriesOciCodes() {
    server.enqueue(ociError(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry"));
    Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, MANIFEST_JSON);

    assertThatThrownBy(() -> client.putManifest(REPO, "v1", manifest))
        .isInstanceOf(RegistryException.class)
        .hasMessageEndingWith("400 Bad Request [MANIFEST_BLOB_UNKNOWN: blob unknown to registry]")
        .satisfies(
            e ->
                assertThat(((RegistryException) e).errorCodes())
                    .containsExactly("MANIFEST_BLOB_UNKNOWN"));
  }

  @Test
  void deleteManifestSendsDeleteByDigest() throws Exception {
    Digest digest = Digest.of(MANIFEST_JSON);
    server.enqueue(status(202));

    client.deleteManifest(REPO, digest);

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/library/app/manifests/" + digest);
  }

  @Test
  void deleteManifestTreatsAbsentAsDone() {
    server.enqueue(ociError(404, "MANIFEST_UNKNOWN", "manifest unknown"));

    client.deleteManifest(REPO, Digest.of(MANIFEST_JSON));

    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void deleteManifestFailsWhenDeletionDisabled() {
    server.enqueue(ociError(405, "UNSUPPORTED", "The operation is unsupported."));

    assertThatThrownBy(() -> client.deleteManifest(REPO, Digest.of(MANIFEST_JSON)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("405 Method Not Allowed [UNSUPPORTED");
  }

  @Test
  void deleteTagReturnsTrueWhenDeleted() throws Exception {
    server.enqueue(status(202));

    assertThat(client.deleteTag(REPO, "v1")).isTrue();
    assertThat(server.takeRequest().getUrl().encodedPath())
        .isEqualTo("/v2/library/app/manifests/v1");
  }

  @Test
  void deleteTagReturnsFalseWhenUnsupported() {
    server.enqueue(ociError(400, "UNSUPPORTED", "The operation is unsupported."));

    assertThat(client.deleteTag(REPO, "v1")).isFalse();
  }

  @Test
  void deleteTagReturnsFalseOnMethodNotAllowed() {
    server.enqueue(status(405));

    assertThat(client.deleteTag(REPO, "v1")).isFalse();
  }

  @Test
  void deleteTagReturnsFalseWhenRegistryWantsADigest() {
    server.enqueue(ociError(400, "DIGEST_INVALID", "provided digest did not match"));

    assertThat(client.deleteTag(REPO, "v1")).isFalse();
  }

  @Test
  void deleteTagRefusesDigestReference() {
    assertThatThrownBy(() -> client.deleteTag(REPO, Digest.of(MANIFEST_JSON).toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid tag");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void deleteTagFailsOnOtherBadRequest() {
    server.enqueue(ociError(400, "NAME_INVALID", "invalid repository name"));

    assertThatThrownBy(() -> client.deleteTag(REPO, "v1"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("NAME_INVALID");
  }

  @Test
  void invalidReferenceFailsBeforeAnyRequest() {
    assertThatThrownBy(() -> client.getManifest(REPO, "bad tag"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid tag 'bad tag'");
    assertThatThrownBy(() -> client.headManifest("Bad/Repo", "v1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid repository name 'Bad/Repo'");
    assertThat(server.getRequestCount()).isZero();
  }
}
