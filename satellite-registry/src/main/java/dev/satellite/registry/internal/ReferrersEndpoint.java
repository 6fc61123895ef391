package dev.satellite.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Referrer;
import dev.satellite.registry.ReferrerList;
import dev.satellite.registry.RegistryException;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The referrers API of OCI distribution 1.1: {@code GET /v2/<name>/referrers/<digest>}, optionally
 * with {@code ?artifactType=}, answered with an image index whose {@code manifests} are the
 * descriptors of every manifest whose {@code subject} is that digest. A registry that applied the
 * filter says so in {@code OCI-Filters-Applied: artifactType}; one that did not leaves the caller
 * to filter. Pages are followed through {@code Link: <...>; rel="next"}. A 404 means the registry
 * does not serve the API (CNCF Distribution 2.8): the caller then reads the referrers tag schema.
 */
public final class ReferrersEndpoint {
  private static final int MAX_PAGES = 100;

  private final RegistryCaller caller;
  private final HttpUrl base;
  private final int maxPageBytes;

  public ReferrersEndpoint(RegistryCaller caller, HttpUrl base, int maxPageBytes) {
    this.caller = caller;
    this.base = base;
    this.maxPageBytes = maxPageBytes;
  }

  /**
   * All referrers of {@code subject}, every page; empty when the registry answers 404.
   *
   * @param artifactType asked as {@code ?artifactType=} when present
   * @throws RegistryException on another failure, a page that is not an image index, too many
   *     pages, or pagination that loops
   */
  public Optional<ReferrerList> list(
      String repository, Digest subject, Optional<String> artifactType) {
    String action = "GET referrers of " + V2Paths.requireRepository(repository) + "@" + subject
        + " at " + caller.registry();
    HttpUrl.Builder first = V2Paths.url(base, repository, "referrers", subject.toString())
        .newBuilder();
    artifactType.ifPresent(type -> first.addQueryParameter("artifactType", type));
    HttpUrl url = first.build();
    List<Referrer> referrers = new ArrayList<>();
    MessageDigest answers = Hashing.newMessageDigest("sha256");
    Set<HttpUrl> seen = new HashSet<>();
    boolean filtered = artifactType.isPresent();
    for (int page = 0; url != null; page++) {
      if (page >= MAX_PAGES || !seen.add(url)) {
        throw new RegistryException(action, page >= MAX_PAGES
            ? "more than " + MAX_PAGES + " pages" : "pagination loops back to " + url, null);
      }
      HttpUrl current = url;
      RegistryRequest request = RegistryRequest.of(action, "GET", current,
              List.of(V2Paths.pull(repository)))
          .withHeader("Accept", "application/vnd.oci.image.index.v1+json");
      Page answer = caller.call(request, Set.of(200, 404), r -> r.code() == 404
          ? drained(r) : readPage(r, action, current));
      if (answer == null) {
        if (page == 0) {
          return Optional.empty();
        }
        throw new RegistryException(action, "page " + current + " answered 404", null);
      }
      answers.update(answer.body());
      referrers.addAll(ManifestJson.referrers(answer.json().path("manifests"), action));
      filtered &= answer.filtersApplied();
      url = answer.next();
    }
    return Optional.of(new ReferrerList(
        referrers, filtered, new Digest("sha256", Hashing.hex(answers))));
  }

  /**
   * Reads the (short) body of a 404 to its end, so that it is read through the client like every
   * other answer (and counted by a meter of upstream bytes); returns null.
   */
  private static Page drained(Response response) throws IOException {
    BufferedSource source = response.body().source();
    Buffer sink = new Buffer();
    long left = 64 * 1024;
    long read;
    while (left > 0 && (read = source.read(sink, Math.min(8192, left))) != -1) {
      left -= read;
      sink.clear();
    }
    return null;
  }

  private record Page(byte[] body, JsonNode json, boolean filtersApplied, HttpUrl next) {}

  private Page readPage(Response response, String action, HttpUrl current) throws IOException {
    BufferedSource source = response.body().source();
    Buffer buffer = new Buffer();
    while (source.read(buffer, 8192) != -1) {
      if (buffer.size() > maxPageBytes) {
        throw new RegistryException(action, "referrers page is over the limit of "
            + maxPageBytes + " bytes", null);
      }
    }
    byte[] body = buffer.readByteArray();
    JsonNode json;
    try {
      json = Json.read(body);
    } catch (IOException e) {
      throw new RegistryException(action, "referrers answer is not JSON: " + e.getMessage(), e);
    }
    if (!json.isObject() || !json.path("manifests").isArray()) {
      throw new RegistryException(action,
          "referrers answer is not an image index with a \"manifests\" array", null);
    }
    String applied = response.header("OCI-Filters-Applied", "");
    boolean filtersApplied = applied.toLowerCase(Locale.ROOT).contains("artifacttype");
    return new Page(body, json, filtersApplied, LinkHeaders.next(response.header("Link"), current));
  }

}
