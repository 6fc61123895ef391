package dev.satellite.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.registry.testing.FakeRegistry;
import dev.satellite.registry.testing.ReferrerFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A {@link FakeRegistry} that also serves the referrers API of OCI distribution 1.1: it indexes
 * every manifest pushed with a {@code subject}, answers {@code GET /v2/<name>/referrers/<digest>}
 * in pages of {@link #pageSize} linked with {@code Link}, applies {@code ?artifactType=} (saying
 * so with {@code OCI-Filters-Applied}) unless told not to, and answers such a {@code PUT} with
 * {@code OCI-Subject} unless told not to.
 */
final class ReferrersApiRegistry extends Dispatcher {
  private static final Pattern REFERRERS =
      Pattern.compile("/v2/(.+)/referrers/(sha256:[0-9a-f]{64})");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");

  final FakeRegistry store = new FakeRegistry();
  volatile boolean appliesFilters = true;
  volatile boolean reportsSubject = true;
  volatile int pageSize = 100;
  private final Map<String, List<ObjectNode>> referrers = new ConcurrentHashMap<>();
  private final List<String> referrerRequests = new ArrayList<>();

  /** Every referrers API request, as {@code GET path[?query]}. */
  synchronized List<String> referrerRequests() {
    return List.copyOf(referrerRequests);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    String path = request.getUrl().encodedPath();
    Matcher m = REFERRERS.matcher(path);
    if (m.matches() && request.getMethod().equals("GET")) {
      synchronized (this) {
        String query = request.getUrl().query();
        referrerRequests.add("GET " + path + (query == null ? "" : "?" + query));
      }
      return referrersPage(m.group(1), m.group(2), request);
    }
    MockResponse response = store.dispatch(request);
    m = MANIFEST.matcher(path);
    if (m.matches() && request.getMethod().equals("PUT") && response.getCode() / 100 == 2) {
      JsonNode manifest = ReferrerFixtures.json(request.getBody().toByteArray());
      JsonNode subject = manifest.path("subject");
      if (subject.isObject()) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("mediaType", manifest.path("mediaType").asText());
        entry.put("digest", Digest.of(request.getBody().toByteArray()).toString());
        entry.put("size", request.getBody().size());
        if (manifest.has("artifactType")) {
          entry.put("artifactType", manifest.get("artifactType").asText());
        }
        List<ObjectNode> list = referrers.computeIfAbsent(
            m.group(1) + "@" + subject.path("digest").asText(), k -> new ArrayList<>());
        synchronized (list) {
          if (list.stream().noneMatch(e -> e.equals(entry))) {
            list.add(entry);
          }
        }
        if (reportsSubject) {
          return response.newBuilder()
              .setHeader("OCI-Subject", subject.path("digest").asText()).build();
        }
      }
    }
    return response;
  }

  private MockResponse referrersPage(String repository, String subject, RecordedRequest request) {
    String type = request.getUrl().queryParameter("artifactType");
    List<ObjectNode> all = new ArrayList<>();
    List<ObjectNode> list = referrers.getOrDefault(repository + "@" + subject, List.of());
    synchronized (list) {
      for (ObjectNode entry : list) {
        if (type == null || !appliesFilters || type.equals(entry.path("artifactType").asText())) {
          all.add(entry);
        }
      }
    }
    String pageParam = request.getUrl().queryParameter("page");
    int page = pageParam == null ? 0 : Integer.parseInt(pageParam);
    ObjectNode index = JsonNodeFactory.instance.objectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    all.stream().skip((long) page * pageSize).limit(pageSize).forEach(manifests::add);
    MockResponse.Builder response = new MockResponse.Builder()
        .setHeader("Content-Type", MediaTypes.OCI_INDEX)
        .body(index.toString());
    if (type != null && appliesFilters) {
      response.setHeader("OCI-Filters-Applied", "artifactType");
    }
    if ((long) (page + 1) * pageSize < all.size()) {
      response.setHeader("Link", "</v2/" + repository + "/referrers/" + subject + "?page="
          + (page + 1) + (type == null ? "" : "&artifactType=" + type) + ">; rel=\"next\"");
    }
    return response.build();
  }
}
