package dev.satellite.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.Okio;

/**
 * Pushes test images to a {@link DistributionRegistry} with the harness's own HTTP client, so the
 * content a test starts from does not depend on the code under test. Blobs go up in one monolithic
 * upload each ({@code POST} a session, {@code PUT} it with the digest), streamed from their seed;
 * a blob the repository already has is skipped ({@code HEAD}). Manifests go last.
 */
final class RegistrySeeder {
  private final OkHttpClient http;
  private final HttpUrl base;
  private final String authorization;

  RegistrySeeder(OkHttpClient http, String baseUrl, String username, String password) {
    this.http = http;
    this.base = HttpUrl.get(baseUrl);
    this.authorization = username == null ? null : Credentials.basic(username, password);
  }

  String push(String repository, TestImage image, String... tags) {
    for (TestBlob blob : image.blobs()) {
      pushBlob(repository, blob);
    }
    return putManifest(repository, image.mediaType(), image.manifest(), image.digest(), tags);
  }

  String push(String repository, TestIndex index, String... tags) {
    for (TestImage child : index.children()) {
      push(repository, child);
    }
    return putManifest(repository, index.mediaType(), index.manifest(), index.digest(), tags);
  }

  private void pushBlob(String repository, TestBlob blob) {
    HttpUrl blobUrl = url(repository, "blobs", blob.digest());
    if (call(request(blobUrl).head(), "HEAD blob " + blob.digest()) == 200) {
      return;
    }
    HttpUrl session;
    Request post = request(url(repository, "blobs", "uploads", "")).post(RequestBody.EMPTY).build();
    try (Response response = http.newCall(post).execute()) {
      requireStatus(response, 202, "start upload of " + blob.digest());
      session = post.url().resolve(response.header("Location", ""));
    } catch (IOException e) {
      throw new UncheckedIOException("start upload of " + blob.digest() + " to " + base, e);
    }
    HttpUrl commit = session.newBuilder().addQueryParameter("digest", blob.digest()).build();
    call(request(commit).put(streamed(blob)), "upload blob " + blob.digest(), 201);
  }

  private String putManifest(
      String repository, String mediaType, byte[] manifest, String digest, String... tags) {
    RequestBody body = RequestBody.create(manifest, MediaType.get(mediaType));
    call(request(url(repository, "manifests", digest)).put(body), "put " + digest, 201);
    for (String tag : tags) {
      call(request(url(repository, "manifests", tag)).put(body), "tag " + tag, 201);
    }
    return digest;
  }

  private static RequestBody streamed(TestBlob blob) {
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get("application/octet-stream");
      }

      @Override
      public long contentLength() {
        return blob.size();
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        try (InputStream in = blob.open()) {
          sink.writeAll(Okio.source(in));
        }
      }
    };
  }

  private HttpUrl url(String repository, String... segments) {
    HttpUrl.Builder url = base.newBuilder().addPathSegment("v2").addPathSegments(repository);
    for (String segment : segments) {
      url.addPathSegment(segment);
    }
    return url.build();
  }

  private Request.Builder request(HttpUrl url) {
    Request.Builder request = new Request.Builder().url(url);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  /** The status of the call; fails unless it is one of {@code expected} (any, when none given). */
  private int call(Request.Builder request, String what, int... expected) {
    try (Response response = http.newCall(request.build()).execute()) {
      if (expected.length > 0) {
        requireStatus(response, expected[0], what);
      }
      return response.code();
    } catch (IOException e) {
      throw new UncheckedIOException(what + " at " + base, e);
    }
  }

  private void requireStatus(Response response, int expected, String what) throws IOException {
    if (response.code() != expected) {
      throw new IllegalStateException(
          what + " at " + base + ": " + response.code() + " " + response.peekBody(2048).string());
    }
  }
}
