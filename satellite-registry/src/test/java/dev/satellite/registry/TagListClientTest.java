package dev.satellite.registry;

import static dev.satellite.registry.ClientTestSupport.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class TagListClientTest extends MockServerTest {

  private RegistryClient client() {
    return ClientTestSupport.clientFor(server, new ClientTestSupport.RecordingSleeper())
        .maxRetries(0)
        .build();
  }

  private static MockResponse page(String tags, String link) {
    MockResponse.Builder b =
        new MockResponse.Builder()
            .setHeader("Content-Type", "application/json")
            .body("{\"name\":\"library/app\",\"tags\":[" + tags + "]}");
    if (link != null) {
      b.setHeader("Link", link);
    }
    return b.build();
  }

  @Test
  void followsLinkPaginationUntilTheLastPage() throws Exception {
    server.enqueue(page("\"a\",\"b\"", "</v2/library/app/tags/list?n=2&last=b>; rel=\"next\""));
    server.enqueue(page("\"c\"", null));

    assertThat(client().listTags(REPO)).containsExactly("a", "b", "c");

    RecordedRequest first = server.takeRequest();
    assertThat(first.getUrl().encodedPath()).isEqualTo("/v2/library/app/tags/list");
    assertThat(first.getUrl().queryParameter("n")).isEqualTo("1000");
    RecordedRequest second = server.takeRequest();
    assertThat(second.getUrl().queryParameter("last")).isEqualTo("b");
    assertThat(second.getUrl().queryParameter("n")).isEqualTo("2");
  }

  @Test
  void repositoryWithNullTagsHasNone() {
    server.enqueue(
        new MockResponse.Builder().body("{\"name\":\"library/app\",\"tags\":null}").build());

    assertThat(client().listTags(REPO)).isEmpty();
  }

  @Test
  void unknownRepositoryHasNoTags() {
    server.enqueue(ClientTestSupport.ociError(404, "NAME_UNKNOWN", "repository name not known"));

    assertThat(client().listTags(REPO)).isEmpty();
  }

  @Test
  void paginationLoopIsDetected() {
    String self = "</v2/library/app/tags/list?n=1000>; rel=\"next\"";
    server.enqueue(page("\"a\"", self));

    assertThatThrownBy(() -> client().listTags(REPO))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("pagination loops back");
  }

  @Test
  void forbiddenIsAnError() {
    server.enqueue(
        ClientTestSupport.ociError(403, "DENIED", "requested access to the resource is denied"));

    assertThatThrownBy(() -> client().listTags(REPO))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("GET tags of library/app at ")
        .hasMessageContaining("403 Forbidden [DENIED: requested access to the resource is denied]");
  }
}
