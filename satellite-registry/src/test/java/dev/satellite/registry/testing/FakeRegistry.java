package dev.satellite.registry.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import okio.ByteString;

/**
 * An in-memory OCI distribution registry as a MockWebServer {@link Dispatcher}, for tests that
 * need to see every request a client makes (which a real registry cannot show) or to serve what a
 * real registry never would (a blob whose bytes do not match its digest). It speaks enough of the
 * protocol for manifests (HEAD, GET, PUT, DELETE), blobs (HEAD, GET), uploads (POST, PATCH, PUT,
 * cross-repository mount) and tag lists, and verifies digests on upload like a real registry.
 *
 * <pre>{@code
 * FakeRegistry fake = new FakeRegistry();
 * server.setDispatcher(fake);
 * fake.putBlob("library/app", bytes);
 * ... exercise a client ...
 * assertThat(fake.requests()).containsExactly("HEAD /v2/library/app/manifests/v1");
 * }</pre>
 */
public final class FakeRegistry extends Dispatcher {
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
  private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]*)");
  private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");

  private record StoredManifest(String mediaType, ByteString bytes) {}

  private final Map<String, ByteString> blobs = new ConcurrentHashMap<>();
  private final Map<String, ByteString> servedInstead = new ConcurrentHashMap<>();
  private final Map<String, StoredManifest> manifests = new ConcurrentHashMap<>();
  private final Map<String, Buffer> uploads = new ConcurrentHashMap<>();
  private final List<String> requests = new ArrayList<>();
  private final AtomicInteger failingCommits = new AtomicInteger();
  private volatile int failingStatus;
  private volatile int mountStatus;
  private volatile long blobDelayMillis;
  private final AtomicInteger blobGetsInFlight = new AtomicInteger();
  private final AtomicInteger maxBlobGetsInFlight = new AtomicInteger();

  /** Stores {@code bytes} as a blob of {@code repository}. */
  public void putBlob(String repository, byte[] bytes) {
    ByteString content = ByteString.of(bytes);
    blobs.put(repository + "@" + digestOf(content), content);
  }

  /** Serves {@code bytes} for blob {@code digest} of {@code repository}: a corrupt source. */
  public void serveInstead(String repository, String digest, byte[] bytes) {
    blobs.putIfAbsent(repository + "@" + digest, ByteString.of(bytes));
    servedInstead.put(repository + "@" + digest, ByteString.of(bytes));
  }

  /** Stores a manifest under its digest and under each tag. */
  public void putManifest(String repository, String mediaType, byte[] bytes, String... tags) {
    StoredManifest m = new StoredManifest(mediaType, ByteString.of(bytes));
    manifests.put(repository + "@" + digestOf(m.bytes()), m);
    for (String tag : tags) {
      manifests.put(repository + ":" + tag, m);
    }
  }

  /** Answers the next {@code count} closing upload {@code PUT}s with {@code status}. */
  public void failNextUploads(int count, int status) {
    failingStatus = status;
    failingCommits.set(count);
  }

  /** Answers every cross-repository mount request with {@code status} (an error). */
  public void refuseMounts(int status) {
    mountStatus = status;
  }

  /** Holds every blob {@code GET} this long before answering, to observe concurrency. */
  public void delayBlobGets(long millis) {
    blobDelayMillis = millis;
  }

  /** The most blob {@code GET}s that were being answered at the same time. */
  public int maxConcurrentBlobGets() {
    return maxBlobGetsInFlight.get();
  }

  /** Removes blob {@code digest} from {@code repository}. */
  public void deleteBlob(String repository, String digest) {
    blobs.remove(repository + "@" + digest);
  }

  public boolean hasBlob(String repository, String digest) {
    return blobs.containsKey(repository + "@" + digest);
  }

  /** The manifest bytes {@code reference} (tag or digest) resolves to in {@code repository}. */
  public Optional<byte[]> manifest(String repository, String reference) {
    return Optional.ofNullable(manifests.get(key(repository, reference)))
        .map(m -> m.bytes().toByteArray());
  }

  /** Every request so far as {@code METHOD path[?query]}, in arrival order. */
  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    MockResponse response = route(request);
    if (request.getMethod().equals("HEAD") && response.getBody() != null) {
      return new MockResponse.Builder()
          .code(response.getCode())
          .headers(response.getHeaders())
          .setHeader("Content-Length", 0)
          .build();
    }
    return response;
  }

  private MockResponse route(RecordedRequest request) throws InterruptedException {
    String method = request.getMethod();
    String path = request.getUrl().encodedPath();
    synchronized (this) {
      String query = request.getUrl().encodedQuery();
      requests.add(method + " " + path + (query == null ? "" : "?" + request.getUrl().query()));
    }
    if (path.equals("/v2/") || path.equals("/v2")) {
      return new MockResponse.Builder().code(200).build();
    }
    Matcher m;
    if ((m = UPLOAD.matcher(path)).matches()) {
      return upload(method, m.group(1), m.group(2), request);
    }
    if ((m = BLOB.matcher(path)).matches()) {
      return method.equals("GET") ? delayedBlobGet(m.group(1), m.group(2))
          : blob(method, m.group(1), m.group(2));
    }
    if ((m = MANIFEST.matcher(path)).matches()) {
      return manifest(method, m.group(1), m.group(2), request);
    }
    if ((m = TAGS.matcher(path)).matches()) {
      return tags(m.group(1));
    }
    return error(404, "NAME_UNKNOWN", "no route " + method + " " + path);
  }

  private MockResponse manifest(String method, String repo, String ref, RecordedRequest request) {
    switch (method) {
      case "PUT" -> {
        ByteString body = request.getBody() == null ? ByteString.EMPTY : request.getBody();
        String type = request.getHeaders().get("Content-Type");
        String digest = digestOf(body);
        if (ref.startsWith("sha256:") && !ref.equals(digest)) {
          return error(400, "DIGEST_INVALID", "manifest digest " + digest + " != " + ref);
        }
        StoredManifest stored = new StoredManifest(type, body);
        manifests.put(repo + "@" + digest, stored);
        manifests.put(key(repo, ref), stored);
        return new MockResponse.Builder()
            .code(201)
            .setHeader("Docker-Content-Digest", digest)
            .setHeader("Location", "/v2/" + repo + "/manifests/" + digest)
            .build();
      }
      case "DELETE" -> {
        StoredManifest removed = manifests.remove(key(repo, ref));
        return removed == null
            ? error(404, "MANIFEST_UNKNOWN", "manifest unknown")
            : new MockResponse.Builder().code(202).build();
      }
      default -> {
        StoredManifest stored = manifests.get(key(repo, ref));
        if (stored == null) {
          return error(404, "MANIFEST_UNKNOWN", "manifest unknown");
        }
        return content(method, stored.bytes(), stored.mediaType(), digestOf(stored.bytes()));
      }
    }
  }

  private MockResponse blob(String method, String repo, String digest) {
    ByteString stored = blobs.get(repo + "@" + digest);
    if (stored == null) {
      return error(404, "BLOB_UNKNOWN", "blob unknown");
    }
    ByteString served = servedInstead.getOrDefault(repo + "@" + digest, stored);
    return content(method, served, "application/octet-stream", digest);
  }

  private MockResponse delayedBlobGet(String repo, String digest) throws InterruptedException {
    int inFlight = blobGetsInFlight.incrementAndGet();
    maxBlobGetsInFlight.accumulateAndGet(inFlight, Math::max);
    try {
      Thread.sleep(blobDelayMillis);
      return blob("GET", repo, digest);
    } finally {
      blobGetsInFlight.decrementAndGet();
    }
  }

  private MockResponse upload(String method, String repo, String id, RecordedRequest request) {
    ByteString body = request.getBody() == null ? ByteString.EMPTY : request.getBody();
    if (method.equals("POST")) {
      String mount = request.getUrl().queryParameter("mount");
      String from = request.getUrl().queryParameter("from");
      if (mount != null && mountStatus != 0) {
        return error(mountStatus, "DENIED", "mount refused");
      }
      if (mount != null && from != null && blobs.containsKey(from + "@" + mount)) {
        blobs.put(repo + "@" + mount, blobs.get(from + "@" + mount));
        return new MockResponse.Builder()
            .code(201)
            .setHeader("Docker-Content-Digest", mount)
            .setHeader("Location", "/v2/" + repo + "/blobs/" + mount)
            .build();
      }
      String uuid = UUID.randomUUID().toString();
      uploads.put(uuid, new Buffer());
      return uploadAccepted(repo, uuid, 0);
    }
    Buffer buffer = uploads.get(id);
    if (buffer == null) {
      return error(404, "BLOB_UPLOAD_UNKNOWN", "upload " + id + " unknown");
    }
    buffer.write(body);
    if (method.equals("PATCH")) {
      return uploadAccepted(repo, id, buffer.size());
    }
    String digest = request.getUrl().queryParameter("digest");
    uploads.remove(id);
    if (failingCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return error(failingStatus, "UNKNOWN", "injected failure");
    }
    ByteString content = buffer.readByteString();
    if (digest == null || !digest.equals(digestOf(content))) {
      return error(400, "DIGEST_INVALID", "uploaded content hashes to " + digestOf(content));
    }
    blobs.put(repo + "@" + digest, content);
    return new MockResponse.Builder()
        .code(201)
        .setHeader("Docker-Content-Digest", digest)
        .setHeader("Location", "/v2/" + repo + "/blobs/" + digest)
        .build();
  }

  private MockResponse tags(String repo) {
    StringBuilder json = new StringBuilder("{\"name\":\"" + repo + "\",\"tags\":[");
    String sep = "";
    for (String key : manifests.keySet().stream().sorted().toList()) {
      if (key.startsWith(repo + ":")) {
        json.append(sep).append('"').append(key.substring(repo.length() + 1)).append('"');
        sep = ",";
      }
    }
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .body(json.append("]}").toString())
        .build();
  }

  private static MockResponse uploadAccepted(String repo, String uuid, long size) {
    return new MockResponse.Builder()
        .code(202)
        .setHeader("Location", "/v2/" + repo + "/blobs/uploads/" + uuid)
        .setHeader("Range", "0-" + Math.max(0, size - 1))
        .setHeader("Docker-Upload-UUID", uuid)
        .build();
  }

  private static MockResponse content(String method, ByteString bytes, String type, String dg) {
    MockResponse.Builder r =
        new MockResponse.Builder()
            .code(200)
            .setHeader("Docker-Content-Digest", dg);
    if (method.equals("HEAD")) {
      return r.setHeader("Content-Type", type).setHeader("Content-Length", bytes.size()).build();
    }
    return r.body(new Buffer().write(bytes)).setHeader("Content-Type", type).build();
  }

  private static MockResponse error(int code, String errorCode, String message) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body("{\"errors\":[{\"code\":\"" + errorCode + "\",\"message\":\"" + message + "\"}]}")
        .build();
  }

  private static String key(String repo, String ref) {
    return repo + (ref.startsWith("sha256:") ? "@" : ":") + ref;
  }

  private static String digestOf(ByteString bytes) {
    return "sha256:" + bytes.sha256().hex();
  }
}
