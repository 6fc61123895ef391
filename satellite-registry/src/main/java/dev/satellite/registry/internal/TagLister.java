package dev.satellite.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.registry.RegistryException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * {@code GET /v2/<repo>/tags/list?n=<page>}, following {@code Link: <...>; rel="next"} until the
 * last page. A repository the registry does not know (404) has no tags.
 */
public final class TagLister {
  private static final int PAGE_SIZE = 1000;

  private final RegistryCaller caller;
  private final HttpUrl base;

  public TagLister(RegistryCaller caller, HttpUrl base) {
    this.caller = caller;
    this.base = base;
  }

  public List<String> list(String repository) {
    String action =
        "GET tags of " + V2Paths.requireRepository(repository) + " at " + caller.registry();
    HttpUrl url =
        V2Paths.url(base, repository, "tags", "list")
            .newBuilder()
            .addQueryParameter("n", Integer.toString(PAGE_SIZE))
            .build();
    List<String> tags = new ArrayList<>();
    Set<HttpUrl> seen = new HashSet<>();
    while (url != null) {
      if (!seen.add(url)) {
        throw new RegistryException(action, "pagination loops back to " + url, null);
      }
      HttpUrl page = url;
      RegistryRequest request =
          RegistryRequest.of(action, "GET", page, List.of(V2Paths.pull(repository)));
      url =
          caller.call(
              request,
              Set.of(200, 404),
              r -> {
                if (r.code() == 404) {
                  return null;
                }
                JsonNode json = Json.read(r.body().byteStream());
                json.path("tags").forEach(tag -> tags.add(tag.asText()));
                return LinkHeaders.next(r.header("Link"), page);
              });
    }
    return List.copyOf(tags);
  }
}
