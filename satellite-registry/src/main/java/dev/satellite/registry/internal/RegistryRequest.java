package dev.satellite.registry.internal;

import java.util.List;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.RequestBody;

/**
 * One registry operation as data: what it does (for messages), method, URL, headers, body, and the
 * token scopes it needs. {@code replayable} is false when the body is a stream that can be sent
 * only once; such a request is never retried or re-sent after an auth challenge.
 *
 * @param action e.g. {@code HEAD manifest library/app:v1 at 127.0.0.1:5000}
 * @param body null for requests without a body
 * @param scopes token scopes such as {@code repository:library/app:pull}
 */
public record RegistryRequest(
    String action,
    String method,
    HttpUrl url,
    Headers headers,
    RequestBody body,
    boolean replayable,
    List<String> scopes) {

  public RegistryRequest {
    scopes = List.copyOf(scopes);
  }

  /** A request without body or extra headers. */
  public static RegistryRequest of(String action, String method, HttpUrl url, List<String> scopes) {
    return new RegistryRequest(action, method, url, Headers.of(), null, true, scopes);
  }

  public RegistryRequest withHeader(String name, String value) {
    Headers merged = headers.newBuilder().set(name, value).build();
    return new RegistryRequest(action, method, url, merged, body, replayable, scopes);
  }

  public RegistryRequest withBody(RequestBody newBody, boolean canReplay) {
    return new RegistryRequest(action, method, url, headers, newBody, canReplay, scopes);
  }

  public RegistryRequest withUrl(HttpUrl newUrl) {
    return new RegistryRequest(action, method, newUrl, headers, body, replayable, scopes);
  }
}
